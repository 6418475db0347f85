import Torch

/// ResNet's basic residual block (He et al. 2016), named like torchvision's `BasicBlock`:
/// relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), both convolutions 3×3 without bias, the first with
/// stride `stride`. The shortcut is the identity, or `downsample` (1×1 convolution with that stride, then
/// batch norm) when the stride or the channel count changes.
final class BasicBlock: Module, Layer {
    let conv1: Conv2d
    let bn1: BatchNorm2d
    let conv2: Conv2d
    let bn2: BatchNorm2d
    let downsample: Sequential?

    init(_ inputs: Int, _ outputs: Int, stride: Int = 1) {
        conv1 = Conv2d(inputs, outputs, kernelSize: 3, stride: stride, padding: 1, bias: false)
        bn1 = BatchNorm2d(outputs)
        conv2 = Conv2d(outputs, outputs, kernelSize: 3, padding: 1, bias: false)
        bn2 = BatchNorm2d(outputs)
        downsample = stride == 1 && inputs == outputs
            ? nil
            : Sequential(Conv2d(inputs, outputs, kernelSize: 1, stride: stride, bias: false), BatchNorm2d(outputs))
    }

    func callAsFunction(_ input: Tensor) -> Tensor {
        let residual = bn2(conv2(bn1(conv1(input)).relu()))
        return (residual + (downsample.map { $0(input) } ?? input)).relu()
    }

    /// A ResNet-18 stage: two blocks, the first changing the channels from `inputs` to `outputs` with
    /// `stride`, the second keeping them.
    static func stage(_ inputs: Int, _ outputs: Int, stride: Int = 1) -> [any Layer] {
        [BasicBlock(inputs, outputs, stride: stride), BasicBlock(outputs, outputs)]
    }
}
