import Torch

/// The authors' decoder for natural images (the paper's code, alicebizeul/simvae: `Decoder` with `resnet18=True`,
/// i.e. their `ResNetDec18` with two blocks per stage), layer for layer, with the same parameter names
/// (`layers.linear`, `layers.layer4.0.conv3`, …), so that its tensors load into their module with
/// `load_state_dict(strict=True)`.
///
/// `layers.linear` maps z to 512 channels at 2×2 (32 px) or 4×4 (64 px); `layer4`, `layer3` and `layer2` each keep
/// the channels through a plain `TransposedBlock`, then halve them and double the resolution (512 → 256 → 128 → 64);
/// `layer1` applies two plain blocks at 64 channels; `layers.conv1`, a 7×7 transposed convolution with stride 2,
/// doubles the resolution once more to the image channels. `layers.bn1` is a 3-channel batch norm their module
/// creates but never applies; it is kept (unused) so the state dicts match. Every layer keeps PyTorch's default
/// initialisation, as theirs does. With zdim 64 the decoder has 8 984 393 parameters at 32 px and 9 383 753 at 64 px.
///
/// The output [N, channels, S, S] is the likelihood's raw output (their model applies the sigmoid, as
/// `Likelihood` does).
public final class AuthorsDecoder: Module, Layer {
    /// Their `ResNetDec18`.
    public let layers: TransposedResNet

    /// A decoder from `latents` dimensions to `channels`×`imageSize`×`imageSize` images (`imageSize` 32 or 64).
    public init(latents: Int, channels: Int = 3, imageSize: Int = 32) {
        layers = TransposedResNet(latents: latents, channels: channels, imageSize: imageSize)
    }

    /// Decodes latents [N, latents] to [N, channels, imageSize, imageSize].
    public func callAsFunction(_ latents: Tensor) -> Tensor { layers(latents) }
}

/// The body of `AuthorsDecoder`, named like the authors' `ResNetDec18`.
public final class TransposedResNet: Module, Layer {
    /// A 3-channel batch norm that is never applied (kept for the parameter names).
    public let bn1: BatchNorm2d
    /// Maps z to 512 channels at the starting resolution (flattened).
    public let linear: Linear
    /// 512 channels kept, then halved to 256 at twice the resolution.
    public let layer4: Sequential
    /// 256 channels kept, then halved to 128 at twice the resolution.
    public let layer3: Sequential
    /// 128 channels kept, then halved to 64 at twice the resolution.
    public let layer2: Sequential
    /// Two plain blocks at 64 channels.
    public let layer1: Sequential
    /// The output layer: a 7×7 transposed convolution with stride 2 (padding 3, output padding 1) to the image
    /// channels.
    public let conv1: ConvTranspose2d
    /// The side of the starting grid: 2 for 32 px images, 4 for 64 px.
    public let startingSide: Int

    /// See `AuthorsDecoder.init(latents:channels:imageSize:)`.
    public init(latents: Int, channels: Int, imageSize: Int) {
        precondition(imageSize == 32 || imageSize == 64, "the authors' decoder makes 32 or 64 px images")
        precondition(latents > 0 && channels > 0, "the authors' decoder needs positive sizes")
        startingSide = imageSize / 16
        bn1 = BatchNorm2d(3)
        linear = Linear(latents, 512 * startingSide * startingSide)
        layer4 = TransposedBlock.upsamplingStage(512, 256)
        layer3 = TransposedBlock.upsamplingStage(256, 128)
        layer2 = TransposedBlock.upsamplingStage(128, 64)
        layer1 = Sequential(TransposedBlock(64, 64), TransposedBlock(64, 64))
        conv1 = ConvTranspose2d(64, channels, kernelSize: 7, stride: 2, padding: 3, outputPadding: 1)
    }

    /// Decodes latents [N, latents] to [N, channels, imageSize, imageSize].
    public func callAsFunction(_ latents: Tensor) -> Tensor {
        let grid = linear(latents).reshaped([latents.size(0), 512, startingSide, startingSide])
        return conv1(layer1(layer2(layer3(layer4(grid)))))
    }
}

/// The authors' decoder block (their `Bottleneck18`): relu(bn1(conv1(relu(bn3(conv3(x)))))), both 3×3 transposed
/// convolutions without bias, the first with `stride`. A block with stride 2 adds an upsampling shortcut
/// (`upsample`: a 1×1 transposed convolution with stride 2 and output padding 1, then batch norm) before the last
/// ReLU; a block with stride 1 has no shortcut at all, as in their code.
final class TransposedBlock: Module, Layer {
    let conv3: ConvTranspose2d
    let bn3: BatchNorm2d
    let conv1: ConvTranspose2d
    let bn1: BatchNorm2d
    let upsample: Sequential?

    init(_ inputs: Int, _ outputs: Int, stride: Int = 1) {
        let outputPadding = stride == 1 ? 0 : 1
        conv3 = ConvTranspose2d(inputs, outputs, kernelSize: 3, stride: stride, padding: 1,
                                outputPadding: outputPadding, bias: false)
        bn3 = BatchNorm2d(outputs)
        conv1 = ConvTranspose2d(outputs, outputs, kernelSize: 3, padding: 1, bias: false)
        bn1 = BatchNorm2d(outputs)
        upsample = stride == 1 ? nil : Sequential(
            ConvTranspose2d(inputs, outputs, kernelSize: 1, stride: stride, outputPadding: outputPadding, bias: false),
            BatchNorm2d(outputs))
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let mapped = bn1(conv1(bn3(conv3(input)).relu()))
        return (upsample.map { mapped + $0(input) } ?? mapped).relu()
    }

    /// One of the decoder's upsampling stages: a plain block keeping `inputs` channels, then a stride-2 block to
    /// `outputs` channels at twice the resolution (their `_make_layer` puts the upsampling block last).
    static func upsamplingStage(_ inputs: Int, _ outputs: Int) -> Sequential {
        Sequential(TransposedBlock(inputs, inputs), TransposedBlock(inputs, outputs, stride: 2))
    }
}
