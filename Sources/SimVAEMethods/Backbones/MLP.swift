import Torch

/// A stack of linear layers with ReLU between them (none after the last), named like PyTorch's
/// `nn.Sequential` (`layers.0.weight`, `layers.2.weight`, …).
public final class MLP: Module, Layer {
    /// The linear layers, with a ReLU between each two, in order.
    public let layers: Sequential

    /// `widths` lists every layer's width from input to output, e.g. `[784, 2000, 500, 500, 20]`.
    public init(widths: [Int]) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 }, "an MLP needs at least two positive widths")
        var stack: [any Layer] = []
        for index in 0..<(widths.count - 1) {
            if index > 0 { stack.append(Activation(.relu)) }
            stack.append(Linear(widths[index], widths[index + 1]))
        }
        layers = Sequential(stack)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { layers(input.flattened(from: 1)) }

    /// The paper's MNIST/Fashion-MNIST encoder: inputs → 2000 → 500 → 500 → 2·zdim (mean and log-variance).
    public static func paperEncoder(inputs: Int, latents: Int) -> MLP {
        MLP(widths: [inputs, 2000, 500, 500, 2 * latents])
    }

    /// The paper's decoder: zdim → 500 → 500 → 2000 → outputs (logits; the likelihood applies the sigmoid).
    public static func paperDecoder(latents: Int, outputs: Int) -> MLP {
        MLP(widths: [latents, 500, 500, 2000, outputs])
    }
}
