import Torch

/// One training (or evaluation) batch: B samples × J views, laid out set-major.
public struct MultiViewBatch {
    /// The views, float32 [B·J, C, H, W] with values in [0, 1]; `images[i·J + j]` is view j of sample i.
    public var images: Tensor
    /// The dataset index of every view's sample, int64 [B·J] (the set a view belongs to).
    public var setIndex: Tensor
    /// The label of every view's sample, int64 [B·J].
    public var labels: Tensor
    /// J, the number of views per sample.
    public var views: Int
    /// The dataset indices of the B samples, in batch order.
    public var sampleIndices: [Int]
    /// The augmentation parameters of every view (in `images` order), or nil for un-augmented batches.
    public var parameters: AugmentationParameters?

    /// B, the number of samples.
    public var sampleCount: Int { sampleIndices.count }
}
