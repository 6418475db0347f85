/// Batch normalisation whose statistics are those of the whole group's batch (PyTorch's `SyncBatchNorm`).
extension ProcessGroup {
    /// Normalises `input` ([N, C] or [N, C, H, W], the rank's share of a batch split evenly over the ranks) with
    /// the mean and biased variance over every rank's rows, differentiably, then scales by `weight` and shifts by
    /// `bias`; updates the running statistics as `Functional.batchNorm` does (the variance unbiased), so that every
    /// rank keeps the same ones and the result is what one process with the whole batch computes.
    /// The statistics are reduced in float32 in two passes (mean, then squared deviations).
    public func batchNorm(_ input: Tensor, runningMean: Tensor, runningVariance: Tensor, weight: Tensor,
                          bias: Tensor, momentum: Double, eps: Double) -> Tensor {
        let x = input.float
        let channels = x.size(1)
        let reduced = x.rank == 4 ? [0, 2, 3] : [0]
        let shape = x.rank == 4 ? [1, channels, 1, 1] : [1, channels]
        let total = Double(x.count / channels * worldSize)
        let mean = summed(x.sum(dims: reduced)) / total
        let centred = x - mean.reshaped(shape)
        let variance = summed(centred.squared().sum(dims: reduced)) / total
        withNoGrad {
            runningMean.mul_(1 - momentum).add_(mean.detached(), alpha: momentum)
            runningVariance.mul_(1 - momentum).add_(variance.detached(), alpha: momentum * total / (total - 1))
        }
        let normalised = centred * (variance + eps).rsqrt().reshaped(shape)
        return (normalised * weight.reshaped(shape) + bias.reshaped(shape)).to(input.dtype)
    }
}

extension Tensor {
    /// The rows of every rank's tensor stacked in rank order (`ProcessGroup.current`'s differentiable
    /// `gathered(_:)`), or this tensor when the process trains alone.
    public func gatheredAcrossRanks() -> Tensor { ProcessGroup.current?.gathered(self) ?? self }

    /// Standard normal noise for this rank's rows of a batch split evenly over `ProcessGroup.current`: one draw
    /// for the whole group's rows, of which the rank keeps its own, so that every rank's generator stays in step and
    /// the noise is the one a single process would draw. `shape[0]` is the rank's row count.
    public static func randnForLocalRows(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        guard let group = ProcessGroup.current else { return randn(shape, dtype: dtype) }
        var whole = shape
        whole[0] *= group.worldSize
        return randn(whole, dtype: dtype).narrowed(dim: 0, start: group.rank * shape[0], length: shape[0])
    }
}
