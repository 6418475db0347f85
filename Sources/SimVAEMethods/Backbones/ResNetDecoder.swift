import Torch

/// A ResNet-18-style decoder mirroring `ResNetEncoder`, for 32 or 64 px images.
///
/// `fc` maps z to 8·width channels at 4×4; layer4, layer3 and layer2 each upsample ×2 (nearest) and apply two
/// `BasicBlock`s, the first projecting the channels 8w → 4w → 2w → w (512 → 256 → 128 → 64 by default);
/// layer1 applies two more blocks at w channels and 32×32. For 64 px images a last nearest ×2 upsample
/// mirrors the encoder's stride-2 stem. `conv1`, a 3×3 convolution with bias, maps to the image channels.
///
/// The output [N, channels, size, size] is the likelihood's raw output: Bernoulli logits or pre-sigmoid
/// Gaussian means (`Likelihood` applies the sigmoid).
public final class ResNetDecoder: Module, Layer {
    /// Maps z [N, latents] to 8·width channels at 4×4 (flattened; reshaped before `layer4`).
    public let fc: Linear
    /// A nearest ×2 upsample to 8×8, then two `BasicBlock`s from 8·width to 4·width channels.
    public let layer4: Sequential
    /// A nearest ×2 upsample to 16×16, then two `BasicBlock`s from 4·width to 2·width channels.
    public let layer3: Sequential
    /// A nearest ×2 upsample to 32×32, then two `BasicBlock`s from 2·width to width channels.
    public let layer2: Sequential
    /// Two `BasicBlock`s at width channels and 32×32.
    public let layer1: Sequential
    /// The output convolution: 3×3 with bias, from width channels to the image channels (after a last
    /// nearest ×2 upsample for 64 px images).
    public let conv1: Conv2d
    /// The side of the output images: 32 or 64.
    public let imageSize: Int
    private let baseWidth: Int

    /// A decoder from `latents` dimensions to `channels`×`imageSize`×`imageSize` images (`imageSize` 32 or
    /// 64); `width` is the channel count of the last stage (64 for the ResNet-18 mirror).
    public init(latents: Int, channels: Int = 3, imageSize: Int = 32, width: Int = 64) {
        precondition(imageSize == 32 || imageSize == 64, "the ResNet decoder makes 32 or 64 px images")
        precondition(latents > 0 && channels > 0 && width > 0, "a ResNet decoder needs positive sizes")
        self.imageSize = imageSize
        baseWidth = 8 * width
        fc = Linear(latents, 8 * width * 4 * 4)
        layer4 = Sequential([NearestUpsampling()] + BasicBlock.stage(8 * width, 4 * width))
        layer3 = Sequential([NearestUpsampling()] + BasicBlock.stage(4 * width, 2 * width))
        layer2 = Sequential([NearestUpsampling()] + BasicBlock.stage(2 * width, width))
        layer1 = Sequential(BasicBlock.stage(width, width))
        conv1 = Conv2d(width, channels, kernelSize: 3, padding: 1)
    }

    /// Decodes latents [N, latents] to [N, channels, imageSize, imageSize].
    public func callAsFunction(_ latents: Tensor) -> Tensor {
        let grid = fc(latents).reshaped([latents.size(0), baseWidth, 4, 4])
        let mapped = [layer4, layer3, layer2, layer1].reduce(grid) { $1($0) }
        return conv1(imageSize == 64 ? NearestUpsampling.doubled(mapped) : mapped)
    }
}

/// Doubles the height and width of [N, C, H, W] inputs by nearest-neighbour interpolation; no parameters.
final class NearestUpsampling: Module, Layer {
    func callAsFunction(_ input: Tensor) -> Tensor { NearestUpsampling.doubled(input) }

    static func doubled(_ input: Tensor) -> Tensor {
        Functional.interpolate(input, size: [2 * input.size(2), 2 * input.size(3)], mode: .nearest)
    }
}
