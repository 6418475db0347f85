import Torch

/// What one training step of an objective computed: the scalar to minimise and its named terms
/// (e.g. `recon`, `entropy`, `prior`, `kl`, `nce`), each a 0-D tensor, for logging.
public struct ObjectiveOutput {
    public let loss: Tensor
    public let terms: [String: Tensor]

    public init(loss: Tensor, terms: [String: Tensor]) {
        self.loss = loss
        self.terms = terms
    }
}

/// A self-supervised training objective together with the networks it trains.
///
/// A batch holds B sets of J related views laid out set-major: `images[i·J + j]` is view j of sample i,
/// shape [B·J, C, H, W], values in [0, 1].
public protocol Objective: Module {
    /// The fewest views per set `loss(images:views:)` accepts: 1 unless the objective compares views.
    var minimumViews: Int { get }
    /// The loss and its terms on one batch of `views` views per set.
    func loss(images: Tensor, views: Int) -> ObjectiveOutput
    /// The representation used downstream (posterior mean, or encoder output before any head).
    func representation(_ images: Tensor) -> Tensor
}

extension Objective {
    public var minimumViews: Int { 1 }

    /// Checks that sets of `views` views suit the objective, for callers (the CLI) to reject a configuration
    /// before training; `loss(images:views:)` itself stops the program on a layout it cannot use.
    public func validate(views: Int) throws(ObjectiveError) {
        guard views >= minimumViews else { throw .tooFewViews(required: minimumViews, given: views) }
    }
}

/// Why an objective cannot train on a batch layout.
public enum ObjectiveError: Error, Equatable, CustomStringConvertible {
    /// The objective compares views of a set and needs at least `required` of them per set.
    case tooFewViews(required: Int, given: Int)

    public var description: String {
        switch self {
        case .tooFewViews(let required, let given):
            "this objective compares views of a set and needs at least \(required) views per set, not \(given)"
        }
    }
}

/// An objective with a decoder, which can reconstruct inputs and sample new ones.
public protocol GenerativeObjective: Objective {
    /// Decoded posterior means of `images` (same shape, values in [0, 1]).
    func reconstruct(_ images: Tensor) -> Tensor
    /// `count` images decoded from draws of the model's prior.
    func sample(count: Int) -> Tensor
}
