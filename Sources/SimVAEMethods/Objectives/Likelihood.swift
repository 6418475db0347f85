import Foundation
import SimVAEData
import Torch

/// The computations of the decoder's observation model p(x | z).
extension Likelihood {
    /// −log p(x | decoder output) summed over each image's pixels: shape [N].
    public func negativeLogLikelihood(decoded: Tensor, targets: Tensor) -> Tensor {
        let n = targets.size(0)
        switch self {
        case .bernoulli:
            return Functional.binaryCrossEntropyWithLogits(decoded.reshaped([n, -1]), targets: targets.reshaped([n, -1]),
                                                           reduction: .none).sum(dim: 1)
        case .gaussian(let logVariance):
            let squared = (decoded.sigmoid() - targets).reshaped([n, -1]).squared().sum(dim: 1)
            let pixels = Double(targets.count / Swift.max(n, 1))
            let scale: Double = 0.5 * Foundation.exp(-logVariance)
            let normaliser: Double = 0.5 * pixels * (Foundation.log(2 * Double.pi) + logVariance)
            return squared * scale + normaliser
        }
    }

    /// The error alone, as the authors' code computes it before dividing by exp(log σ_x²): the summed binary
    /// cross-entropy for Bernoulli pixels, half the summed squared error for Gaussian ones (their
    /// `0.5 * MSELoss(reduction="sum")`), without the constants of the log-likelihood.
    func unnormalisedError(decoded: Tensor, targets: Tensor) -> Tensor {
        let n = targets.size(0)
        switch self {
        case .bernoulli:
            return negativeLogLikelihood(decoded: decoded, targets: targets)
        case .gaussian:
            return (decoded.sigmoid() - targets).reshaped([n, -1]).squared().sum(dim: 1) * 0.5
        }
    }

    /// Image values in [0, 1] from the decoder's raw output.
    public func mean(of decoded: Tensor) -> Tensor { decoded.sigmoid() }

    /// log σ_x² of the Gaussian case; the authors' code divides by exp of it for Bernoulli too.
    public var logVariance: Double {
        switch self {
        case .bernoulli: -4.6
        case .gaussian(let value): value
        }
    }
}
