import Torch

/// ResNet-18 (He et al. 2016) as the paper's encoder for natural images, with submodules named like
/// torchvision's `resnet18` (`conv1`, `bn1`, `layer1.0.conv1`, `layer2.0.downsample.0`, …, `fc`).
///
/// Stem: a 3×3 convolution with padding 1 and no max-pool (the CIFAR variant). For inputs of at most 32 px
/// it has stride 1, so layer1 sees the full resolution. For larger inputs (64 px CelebA) it has stride 2:
/// layer1 then works at 32×32 and a 64 px image costs about what a CIFAR image costs, instead of 4× as much
/// with a stride-1 stem. A strided convolution is preferred to a max-pool after a stride-1 convolution
/// because it also spares that first convolution three quarters of its work.
///
/// Then four stages of two `BasicBlock`s with `width`·(1, 2, 4, 8) channels (64…512 by default), the last
/// three halving the resolution, global average pooling, and an optional linear head `fc`.
public final class ResNetEncoder: Module, Layer {
    /// The stem convolution: 3×3 without bias, from the image channels to width channels, stride `stemStride`.
    public let conv1: Conv2d
    /// The stem's batch norm, after `conv1` (a ReLU follows).
    public let bn1: BatchNorm2d
    /// Two `BasicBlock`s at width channels and the stem's resolution (32×32 for 32 and 64 px images).
    public let layer1: Sequential
    /// Two `BasicBlock`s to 2·width channels, the first with stride 2 (half the resolution).
    public let layer2: Sequential
    /// Two `BasicBlock`s to 4·width channels, the first with stride 2 (half the resolution).
    public let layer3: Sequential
    /// Two `BasicBlock`s to 8·width channels, the first with stride 2; its output is pooled into the features.
    public let layer4: Sequential
    /// The linear head to `head` outputs (2·zdim for VAEs); nil when the features are the output.
    public let fc: Linear?
    /// The width of the pooled features: 8·width (512 for ResNet-18).
    public let featureWidth: Int
    /// The stride of the stem convolution: 1 for inputs of at most 32 px, 2 above.
    public let stemStride: Int

    /// A ResNet-18 for `channels`-channel images of `imageSize`×`imageSize` pixels; `width` is the first
    /// stage's channel count (64 for ResNet-18, smaller in tests) and `head` the output width of the
    /// linear head (nil to output the `featureWidth`-wide pooled features, as discriminative methods do).
    public init(channels: Int = 3, imageSize: Int = 32, width: Int = 64, head: Int?) {
        precondition(channels > 0 && imageSize > 0 && width > 0, "a ResNet needs positive sizes")
        stemStride = imageSize > 32 ? 2 : 1
        conv1 = Conv2d(channels, width, kernelSize: 3, stride: stemStride, padding: 1, bias: false)
        bn1 = BatchNorm2d(width)
        layer1 = Sequential(BasicBlock.stage(width, width))
        layer2 = Sequential(BasicBlock.stage(width, 2 * width, stride: 2))
        layer3 = Sequential(BasicBlock.stage(2 * width, 4 * width, stride: 2))
        layer4 = Sequential(BasicBlock.stage(4 * width, 8 * width, stride: 2))
        featureWidth = 8 * width
        fc = head.map { Linear(8 * width, $0) }
    }

    /// The stem's output: relu(bn1(conv1(images))).
    func stem(_ images: Tensor) -> Tensor { bn1(conv1(images)).relu() }

    /// The globally pooled output of layer4: shape [N, featureWidth].
    public func features(_ images: Tensor) -> Tensor {
        let mapped = [layer1, layer2, layer3, layer4].reduce(stem(images)) { $1($0) }
        return Functional.adaptiveAvgPool2d(mapped, outputSize: [1, 1]).flattened(from: 1)
    }

    /// The head's output, or the pooled features without a head.
    public func callAsFunction(_ images: Tensor) -> Tensor {
        let pooled = features(images)
        return fc.map { $0(pooled) } ?? pooled
    }
}
