import Torch

/// What one training step of an objective computed: the scalar to minimise and its named terms
/// (e.g. `recon`, `entropy`, `prior`, `kl`, `nce`), each a 0-D tensor, for logging.
public struct ObjectiveOutput {
    /// The 0-D scalar the optimizer minimises.
    public let loss: Tensor
    /// Named 0-D terms, for logging only (the trainer logs `loss` next to them).
    public let terms: [String: Tensor]

    /// An output from the loss and its named terms.
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
    /// The loss and its terms on one batch of `views` views per set.
    func loss(images: Tensor, views: Int) -> ObjectiveOutput
    /// The representation used downstream (posterior mean, or encoder output before any head).
    func representation(_ images: Tensor) -> Tensor
}

/// An objective with a decoder, which can reconstruct inputs and sample new ones.
public protocol GenerativeObjective: Objective {
    /// Decoded posterior means of `images` (same shape, values in [0, 1]).
    func reconstruct(_ images: Tensor) -> Tensor
    /// `count` images decoded from draws of the model's prior.
    func sample(count: Int) -> Tensor
}
