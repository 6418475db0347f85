import Torch

/// The untrained baseline: a randomly initialised encoder whose output is the representation. It has nothing
/// to learn; `TrainingSession` trains it for zero epochs and saves it as initialised, so its runs are
/// evaluated like any other and are reproducible from the seed.
public final class RandomEncoder: Module, Objective {
    /// Maps images [N, C, H, W] to representations [N, D].
    public let encoder: any Layer

    /// The baseline over `encoder`, initialised from libtorch's generator (seed it first).
    public init(encoder: any Layer) { self.encoder = encoder }

    /// A loss of zero whose gradients are all zero, so a step (with Adam or LARS) leaves the weights as they
    /// were; no terms.
    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        ObjectiveOutput(loss: encoder(images).sum() * 0, terms: [:])
    }

    /// The encoder's output: shape [N, D].
    public func representation(_ images: Tensor) -> Tensor { encoder(images) }
}
