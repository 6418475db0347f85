import Foundation
import Torch
@testable import SimVAEMethods

/// Networks with hand-set weights over 1×2×2 images and one latent: the encoder reads the posterior mean
/// from pixel 0 and the log-variance from pixel 1; the decoder ignores z and always outputs `logits`.
/// Reconstruction and KL terms are then computable by hand.
struct HandSetNetworks {
    static let logits: [Double] = [0, 1, -1, 2]

    let encoder = MLP(widths: [4, 2])
    let decoder = MLP(widths: [1, 4])

    init() throws {
        try encoder.load(stateDict: [
            "layers.0.weight": Tensor([1, 0, 0, 0, 0, 1, 0, 0] as [Float], shape: [2, 4]),
            "layers.0.bias": Tensor(zeros: [2]),
        ])
        try decoder.load(stateDict: [
            "layers.0.weight": Tensor(zeros: [4, 1]),
            "layers.0.bias": Tensor(HandSetNetworks.logits.map(Float.init), shape: [4]),
        ])
    }

    /// Images [count, 1, 2, 2] from rows of four pixel values.
    static func images(_ rows: [[Double]]) -> Tensor {
        Tensor(rows.flatMap { $0.map(Float.init) }, shape: [rows.count, 1, 2, 2])
    }

    /// −log p(x | z) of one image under Bernoulli pixels with the fixed logits: Σ softplus(b) − x·b.
    static func reconstruction(_ pixels: [Double]) -> Double {
        zip(pixels, logits).reduce(0) { $0 + log(1 + exp($1.1)) - $1.0 * $1.1 }
    }

    /// KL(N(μ, e^{lv}) ‖ N(0, 1)) of an image, with μ = pixel 0 and lv = pixel 1.
    static func kl(_ pixels: [Double]) -> Double {
        0.5 * (pixels[0] * pixels[0] + exp(pixels[1]) - pixels[1] - 1)
    }
}
