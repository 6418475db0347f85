import Foundation
import Torch

/// A diagonal Gaussian q(z | x) = N(mean, diag exp(logVariance)) produced by an encoder.
public struct GaussianPosterior {
    /// μ, shape [N, zdim].
    public let mean: Tensor
    /// log σ², shape [N, zdim].
    public let logVariance: Tensor

    /// Splits an encoder output [N, 2·zdim] into mean and log-variance.
    public init(encoderOutput: Tensor) {
        let halves = encoderOutput.chunked(2, dim: 1)
        mean = halves[0]
        logVariance = halves[1]
    }

    /// A posterior with the given mean and log-variance, each [N, zdim].
    public init(mean: Tensor, logVariance: Tensor) {
        self.mean = mean
        self.logVariance = logVariance
    }

    /// The rows of view `index` when the rows are laid out set-major with `views` views per set:
    /// rows index, index + views, index + 2·views, ….
    public func view(_ index: Int, of views: Int) -> GaussianPosterior {
        func rows(_ tensor: Tensor) -> Tensor {
            tensor.reshaped([-1, views, tensor.size(1)]).selected(dim: 1, index: index)
        }
        return GaussianPosterior(mean: rows(mean), logVariance: rows(logVariance))
    }

    /// One reparameterised draw z = μ + σ ⊙ ε. ε is drawn from the CPU generator whatever the device (then
    /// copied there), so that a run draws the same noise on every device and a checkpoint's generator state
    /// resumes it exactly. A rank of a data-parallel group draws the noise of the whole group's batch and keeps its
    /// rows, as one process would have drawn them.
    public func sample() -> Tensor {
        mean + (logVariance * 0.5).exp() * Tensor.randnForLocalRows(mean.shape, dtype: mean.dtype).to(mean.device)
    }

    /// Entropy of each row, ½ Σ_d (log 2πe + log σ²_d): shape [N].
    public func entropy() -> Tensor {
        let dims = Double(mean.size(1))
        return logVariance.sum(dim: 1) * 0.5 + 0.5 * dims * Foundation.log(2 * Double.pi * M_E)
    }

    /// KL(q ‖ N(0, I)) of each row: shape [N].
    public func klToStandardNormal() -> Tensor {
        ((mean.squared() + logVariance.exp() - logVariance - 1) * 0.5).sum(dim: 1)
    }

    /// KL(self ‖ other) of each row between two diagonal Gaussians: shape [N].
    public func kl(to other: GaussianPosterior) -> Tensor {
        let varianceRatio = (logVariance - other.logVariance).exp()
        let meanTerm = (mean - other.mean).squared() / other.logVariance.exp()
        return ((varianceRatio + meanTerm - 1 - (logVariance - other.logVariance)) * 0.5).sum(dim: 1)
    }
}
