import SimVAEMethods
import Torch

/// Counts the model FLOPs of one image's forward pass through convolutional networks: 2 per multiply-add of every
/// convolution, transposed convolution and linear layer (batch norm, activations, pooling and the loss are left
/// out, as is usual). The spatial side is followed through the layers from their hyperparameters.
///
/// A module that is not a layer of `Torch` (a residual block) is counted by one rule: every convolution inside it,
/// shortcut included, produces the block's output resolution, which its first convolution sets. That holds for
/// torchvision's `BasicBlock` and the authors' decoder block. A transposed convolution costs its weights once per
/// input pixel, i.e. per output pixel divided by stride².
public enum ForwardFlops {
    /// Forward FLOPs per image of the authors' encoder.
    public static func of(_ encoder: AuthorsEncoder) -> Double {
        var side = encoder.imageSize
        return count(encoder.layers, side: &side) + count(encoder.headC, side: &side)
    }

    /// Forward FLOPs per image of the authors' decoder (its unused `bn1` costs nothing).
    public static func of(_ decoder: AuthorsDecoder) -> Double {
        let body = decoder.layers
        var side = body.startingSide
        let stages: [Module] = [body.layer4, body.layer3, body.layer2, body.layer1, body.conv1]
        return count(body.linear, side: &side) + stages.reduce(0) { $0 + count($1, side: &side) }
    }

    /// FLOPs of `module` on a `side`×`side` input; `side` becomes the output's side.
    static func count(_ module: Module, side: inout Int) -> Double {
        switch module {
        case let sequential as Sequential:
            return sequential.namedChildren().reduce(0) { $0 + count($1.1, side: &side) }
        case let linear as Linear:
            return 2 * Double(linear.weight.count)
        case is Conv2d, is ConvTranspose2d:
            side = outputSide(of: module, input: side)
            return convolutionFlops(module, outputSide: side)
        case let pool as MaxPool2d:
            side = (side + 2 * pool.padding - pool.kernelSize) / pool.stride + 1
            return 0
        case is BatchNorm, is Activation, is Flatten:
            return 0
        default:
            let convolutions = allConvolutions(in: module)
            guard let first = convolutions.first else { return 0 }
            side = outputSide(of: first, input: side)
            let output = side
            return convolutions.reduce(0) { $0 + convolutionFlops($1, outputSide: output) }
        }
    }

    /// The side of the output of a convolution or transposed convolution on a `side`×`side` input.
    private static func outputSide(of convolution: Module, input side: Int) -> Int {
        switch convolution {
        case let c as Conv2d: (side + 2 * c.padding - c.weight.size(2)) / c.stride + 1
        case let t as ConvTranspose2d: (side - 1) * t.stride - 2 * t.padding + t.weight.size(2) + t.outputPadding
        default: side
        }
    }

    /// 2 × weights × the pixels each weight is applied at, for an output of `outputSide`×`outputSide`.
    private static func convolutionFlops(_ convolution: Module, outputSide: Int) -> Double {
        let pixels = Double(outputSide * outputSide)
        switch convolution {
        case let c as Conv2d: return 2 * Double(c.weight.count) * pixels
        case let t as ConvTranspose2d: return 2 * Double(t.weight.count) * pixels / Double(t.stride * t.stride)
        default: return 0
        }
    }

    /// The convolutions and transposed convolutions of `module`'s tree, in declaration order.
    private static func allConvolutions(in module: Module) -> [Module] {
        module.namedChildren().flatMap { _, child -> [Module] in
            child is Conv2d || child is ConvTranspose2d ? [child] : allConvolutions(in: child)
        }
    }
}
