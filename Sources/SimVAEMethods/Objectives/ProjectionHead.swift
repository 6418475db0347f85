import Torch

/// The projection head (SimCLR, MoCo v2) or expander (VICReg) that discriminative methods put on top of the
/// encoder: linear layers with batch norm and ReLU after every layer but the last, named like
/// `nn.Sequential` (`layers.0.weight`, `layers.1.running_mean`, …). The loss sees its output; downstream
/// tasks use the encoder's output before it.
public final class ProjectionHead: Module, Layer {
    /// The linear layers, each but the last followed by batch norm and ReLU, in order.
    public let layers: Sequential
    /// The width of the head's output, the space the loss compares views in.
    public let outputWidth: Int

    /// A head from `inputs` features through `widths` (hidden widths, then the output width), e.g.
    /// `ProjectionHead(inputs: 64, widths: [512, 128])` for Linear–BN–ReLU–Linear.
    public init(inputs: Int, widths: [Int]) {
        precondition(inputs > 0 && !widths.isEmpty && widths.allSatisfy { $0 > 0 },
                     "a projection head needs positive input and layer widths")
        var stack: [any Layer] = []
        var previous = inputs
        for (index, width) in widths.enumerated() {
            stack.append(Linear(previous, width))
            if index < widths.count - 1 { stack += [BatchNorm1d(width), Activation(.relu)] }
            previous = width
        }
        layers = Sequential(stack)
        outputWidth = previous
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { layers(input) }
}

/// What the discriminative objectives (SimCLR, VICReg, BYOL, Barlow Twins and MoCo's query side) share: an `encoder` whose output
/// is the representation, a projection `head` on top of it, and the first two views of each set as the pair
/// the loss compares. State dict names read `encoder.…` and `head.…`.
public class SiameseObjective: Module {
    /// Maps images [N, C, H, W] to representations [N, D].
    public let encoder: any Layer
    /// Maps representations to the space the loss compares views in.
    public let head: ProjectionHead

    init(encoder: any Layer, head: ProjectionHead) {
        self.encoder = encoder
        self.head = head
    }

    /// The encoder's output, before the head: shape [N, D].
    public func representation(_ images: Tensor) -> Tensor { encoder(images) }

    /// The head's outputs for view 0 and view 1 of every set of a set-major batch, each [B, width];
    /// both views go through the networks in one pass, so batch norm sees all 2B images. The outputs are float32
    /// whatever the forward precision, so that the losses are reduced in float32.
    func projectedPair(images: Tensor, views: Int) -> (first: Tensor, second: Tensor) {
        let projected = head(encoder(Self.firstTwoViews(images, views: views))).float
        return Self.split(projected)
    }

    /// [x₀⁰, x₁⁰, …, x₀¹, x₁¹, …]: view 0 of every set, then view 1 of every set, from a set-major batch.
    static func firstTwoViews(_ images: Tensor, views: Int) -> Tensor {
        precondition(views >= 2, "this objective compares views of a set and needs at least 2 per set, not \(views)")
        let sets = images.size(0) / views
        let rest = Array(images.shape.dropFirst())
        return images.reshaped([sets, views, -1]).narrowed(dim: 1, start: 0, length: 2).transposed(0, 1)
            .reshaped([2 * sets] + rest)
    }

    /// The two halves of a [2B, …] tensor laid out view-major.
    static func split(_ pair: Tensor) -> (first: Tensor, second: Tensor) {
        let halves = pair.chunked(2, dim: 0)
        return (halves[0], halves[1])
    }
}
