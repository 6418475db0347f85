/// Reductions over all elements or over chosen dimensions.
extension Tensor {
    /// Sum of all elements.
    public func sum() -> Tensor { ATen.sumAll(.tensor(self)) }
    /// Sum over `dims`.
    public func sum(dims: [Int], keepDims: Bool = false) -> Tensor {
        ATen.sumDims(.tensor(self), .ints(dims), .bool(keepDims))
    }
    /// Sum over one dimension.
    public func sum(dim: Int, keepDims: Bool = false) -> Tensor { sum(dims: [dim], keepDims: keepDims) }

    /// Mean of all elements.
    public func mean() -> Tensor { ATen.meanAll(.tensor(self)) }
    /// Mean over `dims`.
    public func mean(dims: [Int], keepDims: Bool = false) -> Tensor {
        ATen.meanDims(.tensor(self), .ints(dims), .bool(keepDims))
    }
    /// Mean over one dimension.
    public func mean(dim: Int, keepDims: Bool = false) -> Tensor { mean(dims: [dim], keepDims: keepDims) }

    /// Largest element.
    public func max() -> Tensor { ATen.maxAll(.tensor(self)) }
    /// Largest values along `dim` and where they are.
    public func max(dim: Int, keepDims: Bool = false) -> (values: Tensor, indices: Tensor) {
        let outputs = ATen.maxDim.tensors(.tensor(self), .int(dim), .bool(keepDims))
        return (outputs[0], outputs[outputs.count - 1])
    }
    /// Smallest element.
    public func min() -> Tensor { ATen.minAll(.tensor(self)) }
    /// Smallest values along `dim` and where they are.
    public func min(dim: Int, keepDims: Bool = false) -> (values: Tensor, indices: Tensor) {
        let outputs = ATen.minDim.tensors(.tensor(self), .int(dim), .bool(keepDims))
        return (outputs[0], outputs[outputs.count - 1])
    }

    /// Index of the largest element along `dim` (of the flattened tensor when `dim` is nil).
    public func argmax(dim: Int? = nil, keepDims: Bool = false) -> Tensor {
        ATen.argmax(.tensor(self), dim.map { .int($0) } ?? .none, .bool(keepDims))
    }
    /// Index of the smallest element along `dim` (of the flattened tensor when `dim` is nil).
    public func argmin(dim: Int? = nil, keepDims: Bool = false) -> Tensor {
        ATen.argmin(.tensor(self), dim.map { .int($0) } ?? .none, .bool(keepDims))
    }

    /// log Σ exp over `dims`, computed stably.
    public func logSumExp(dims: [Int], keepDims: Bool = false) -> Tensor {
        ATen.logsumexp(.tensor(self), .ints(dims), .bool(keepDims))
    }

    /// Variance over `dims` (all when nil), with `correction` = 1 for the unbiased estimate.
    public func variance(dims: [Int]? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        ATen.varDims(.tensor(self), dims.map { .ints($0) } ?? .none, .int(correction), .bool(keepDims))
    }

    /// Standard deviation over `dims` (all when nil), with `correction` = 1 for the unbiased estimate.
    public func standardDeviation(dims: [Int]? = nil, correction: Int = 1, keepDims: Bool = false) -> Tensor {
        ATen.stdDims(.tensor(self), dims.map { .ints($0) } ?? .none, .int(correction), .bool(keepDims))
    }

    /// p-norm over `dims`.
    public func norm(_ p: Double = 2, dims: [Int], keepDims: Bool = false) -> Tensor {
        ATen.normDims(.tensor(self), .double(p), .ints(dims), .bool(keepDims))
    }

    /// Running sum along `dim`.
    public func cumulativeSum(dim: Int) -> Tensor { ATen.cumsum(.tensor(self), .int(dim)) }

    /// Whether every element is true (non-zero).
    public func all() -> Bool { ATen.all(.tensor(self)).item != 0 }
    /// Whether any element is true (non-zero).
    public func any() -> Bool { ATen.any(.tensor(self)).item != 0 }

    /// Sorted values along `dim` and their original indices.
    public func sorted(dim: Int = -1, descending: Bool = false) -> (values: Tensor, indices: Tensor) {
        let outputs = ATen.sort.tensors(.tensor(self), .int(dim), .bool(descending))
        return (outputs[0], outputs[outputs.count - 1])
    }

    /// Indices that sort the tensor along `dim`.
    public func argsort(dim: Int = -1, descending: Bool = false) -> Tensor {
        ATen.argsort(.tensor(self), .int(dim), .bool(descending))
    }

    /// The `k` largest (or smallest) values along `dim` and their indices, in sorted order.
    public func topK(_ k: Int, dim: Int = -1, largest: Bool = true) -> (values: Tensor, indices: Tensor) {
        let outputs = ATen.topk.tensors(.tensor(self), .int(k), .int(dim), .bool(largest), .bool(true))
        return (outputs[0], outputs[outputs.count - 1])
    }
}
