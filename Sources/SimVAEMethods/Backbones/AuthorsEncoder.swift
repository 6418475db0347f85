import Foundation
import Torch

/// The authors' encoder for natural images (the paper's code, alicebizeul/simvae: `Encoder` with `resnet18=True`),
/// layer for layer, with the same parameter names, so that its tensors load into their module with
/// `load_state_dict(strict=True)`.
///
/// `layers` is their `nn.Sequential` of torchvision-style ResNet children without `layer4` and `fc`:
/// `layers.0` the stem convolution from the image channels to 64 (3×3 with bias and no padding for 32 px images,
/// 4×4 without bias for 64 px), `layers.1` its batch norm, `layers.2` a ReLU, `layers.3` a 3×3 max-pool with
/// stride 2 and padding 1, then three stages of two `BasicBlock`s with 32, 64 and 128 channels (`layers.4`–`layers.6`,
/// the last two halving the resolution; every stage's first block has a 1×1 projection shortcut). `head_c` flattens
/// the 128 × 4 × 4 (32 px) or 128 × 8 × 8 (64 px) features and maps them linearly to the outputs.
///
/// Initialisation as theirs: the blocks' convolutions are Kaiming-normal (fan-out, ReLU gain), batch norms start at
/// γ = 1, β = 0, and the stem and head keep PyTorch's default uniform initialisation. With zdim 64 (128 outputs)
/// the encoder has 969 920 parameters at 32 px and 1 757 632 at 64 px.
public final class AuthorsEncoder: Module, Layer {
    /// Stem, max-pool and the three stages, indexed as in their `nn.Sequential`.
    public let layers: Sequential
    /// `Flatten` then the linear layer to the outputs (`head_c.1`).
    public let headC: Sequential
    /// The side of the square input images: 32 or 64.
    public let imageSize: Int

    /// An encoder for `channels`-channel images of 32×32 or 64×64 pixels with `outputs` outputs (2·zdim for the
    /// VAE family, zdim for discriminative methods).
    public init(channels: Int = 3, imageSize: Int = 32, outputs: Int) {
        precondition(imageSize == 32 || imageSize == 64, "the authors' encoder takes 32 or 64 px images")
        precondition(channels > 0 && outputs > 0, "the authors' encoder needs positive sizes")
        self.imageSize = imageSize
        let stem = imageSize == 32
            ? Conv2d(channels, 64, kernelSize: 3)
            : Conv2d(channels, 64, kernelSize: 4, bias: false)
        let stages = [Sequential(BasicBlock.stage(64, 32)), Sequential(BasicBlock.stage(32, 64, stride: 2)),
                      Sequential(BasicBlock.stage(64, 128, stride: 2))]
        layers = Sequential([stem, BatchNorm2d(64), Activation(.relu), MaxPool2d(kernelSize: 3, stride: 2, padding: 1)]
                            + stages)
        // 32 px: 30 after the unpadded stem, 15 after the pool, 8 and 4 after the strided stages; 64 px: 61, 31, 16, 8.
        let side = imageSize == 32 ? 4 : 8
        headC = Sequential(Flatten(), Linear(128 * side * side, outputs))
        super.init()
        for stage in stages { AuthorsEncoder.initialiseKaimingNormal(stage) }
    }

    /// Maps [N, C, S, S] images to [N, outputs].
    public func callAsFunction(_ images: Tensor) -> Tensor { headC(layers(images)) }

    /// Kaiming-normal weights (fan-out mode, ReLU gain: std √(2 / (outputs·k²))) for every convolution in `module`,
    /// as torchvision's ResNet initialises them.
    private static func initialiseKaimingNormal(_ module: Module) {
        withNoGrad {
            for (name, tensor) in module.namedParameters() where name.hasSuffix("weight") && tensor.rank == 4 {
                let fanOut = tensor.size(0) * tensor.size(2) * tensor.size(3)
                tensor.normal_(mean: 0, std: Foundation.sqrt(2 / Double(fanOut)))
            }
        }
    }
}
