/// Reshaping, joining, splitting and indexing.
extension Tensor {
    /// The same elements in a new shape (one size may be -1); copies only when needed.
    public func reshaped(_ shape: [Int]) -> Tensor { ATen.reshape(.tensor(self), .ints(shape)) }
    /// A view with a new shape over the same memory; the tensor must be contiguous enough.
    public func viewed(_ shape: [Int]) -> Tensor { ATen.view(.tensor(self), .ints(shape)) }
    /// Dimensions reordered.
    public func permuted(_ dims: [Int]) -> Tensor { ATen.permute(.tensor(self), .ints(dims)) }
    /// Two dimensions swapped.
    public func transposed(_ dim0: Int, _ dim1: Int) -> Tensor {
        ATen.transpose(.tensor(self), .int(dim0), .int(dim1))
    }
    /// Size-1 dimensions removed (only `dim` when given).
    public func squeezed(dim: Int? = nil) -> Tensor {
        guard let dim else { return ATen.squeezeAll(.tensor(self)) }
        return ATen.squeezeDim(.tensor(self), .int(dim))
    }
    /// A size-1 dimension inserted at `dim`.
    public func unsqueezed(dim: Int) -> Tensor { ATen.unsqueeze(.tensor(self), .int(dim)) }
    /// Dimensions `start...end` merged into one.
    public func flattened(from start: Int = 0, through end: Int = -1) -> Tensor {
        ATen.flatten(.tensor(self), .int(start), .int(end))
    }
    /// Tensors joined along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        ATen.cat(.tensors(tensors), .int(dim))
    }
    /// Tensors joined along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        ATen.stack(.tensors(tensors), .int(dim))
    }
    /// Pieces of `size` along `dim` (the last may be smaller).
    public func split(size: Int, dim: Int = 0) -> [Tensor] { ATen.split.tensors(.tensor(self), .int(size), .int(dim)) }
    /// Pieces of the given sizes along `dim`.
    public func split(sizes: [Int], dim: Int = 0) -> [Tensor] {
        FailureScope.padded(ATen.splitSizes.tensors(.tensor(self), .ints(sizes), .int(dim)), to: sizes.count)
    }
    /// `count` nearly equal pieces along `dim`.
    public func chunked(_ count: Int, dim: Int = 0) -> [Tensor] {
        FailureScope.padded(ATen.chunk.tensors(.tensor(self), .int(count), .int(dim)), to: count)
    }
    /// A view of `length` elements of `dim` from `start`.
    public func narrowed(dim: Int, start: Int, length: Int) -> Tensor {
        ATen.narrow(.tensor(self), .int(dim), .int(start), .int(length))
    }
    /// A view of `range` along `dim`.
    public func sliced(dim: Int = 0, _ range: Range<Int>, step: Int = 1) -> Tensor {
        ATen.slice(.tensor(self), .int(dim), .int(range.lowerBound), .int(range.upperBound), .int(step))
    }
    /// The sub-tensor at `index` along `dim`, with that dimension removed.
    public func selected(dim: Int = 0, index: Int) -> Tensor {
        ATen.select(.tensor(self), .int(dim), .int(index))
    }
    /// Rows `range` of the first dimension.
    public subscript(_ range: Range<Int>) -> Tensor { sliced(dim: 0, range) }
    /// The element or row at `index` of the first dimension.
    public subscript(_ index: Int) -> Tensor { selected(dim: 0, index: index) }
    /// Entries at integer `indices` along `dim`.
    public func indexSelect(dim: Int, _ indices: Tensor) -> Tensor {
        ATen.indexSelect(.tensor(self), .int(dim), .tensor(indices))
    }
    /// Rows picked by an integer or boolean index tensor (`x[indices]`).
    public subscript(_ indices: Tensor) -> Tensor { ATen.index(.tensor(self), .optionalTensors([indices])) }
    /// Values gathered along `dim` at `indices` (`torch.gather`).
    public func gathered(dim: Int, _ indices: Tensor) -> Tensor {
        ATen.gather(.tensor(self), .int(dim), .tensor(indices))
    }
    /// A copy with `source` values written along `dim` at `indices` (`torch.scatter`).
    public func scattered(dim: Int, _ indices: Tensor, _ source: Tensor) -> Tensor {
        ATen.scatter(.tensor(self), .int(dim), .tensor(indices), .tensor(source))
    }
    /// A copy with `source` values added along `dim` at `indices` (`torch.scatter_add`).
    public func scatterAdded(dim: Int, _ indices: Tensor, _ source: Tensor) -> Tensor {
        ATen.scatterAdd(.tensor(self), .int(dim), .tensor(indices), .tensor(source))
    }
    /// A copy with `value` wherever `mask` is true.
    public func maskedFill(_ mask: Tensor, with value: Double) -> Tensor {
        ATen.maskedFill(.tensor(self), .tensor(mask), .scalar(value))
    }
    /// The elements where `mask` is true, as a 1-D tensor.
    public func maskedSelect(_ mask: Tensor) -> Tensor { ATen.maskedSelect(.tensor(self), .tensor(mask)) }
    /// The tensor tiled `repeats` times along each dimension.
    public func repeated(_ repeats: [Int]) -> Tensor { ATen.repeatOp(.tensor(self), .ints(repeats)) }
    /// A broadcast view with size-1 dimensions stretched to `shape` (-1 keeps a size).
    public func expanded(to shape: [Int]) -> Tensor { ATen.expand(.tensor(self), .ints(shape)) }
    /// The tensor reversed along `dims`.
    public func flipped(_ dims: [Int]) -> Tensor { ATen.flip(.tensor(self), .ints(dims)) }
    /// One-hot encoding of integer class indices.
    public func oneHot(classes: Int) -> Tensor { ATen.oneHot(.tensor(self), .int(classes)) }
    /// The diagonal of a matrix (or of the last two dimensions).
    public func diagonal(offset: Int = 0, dim1: Int = -2, dim2: Int = -1) -> Tensor {
        ATen.diagonal(.tensor(self), .int(offset), .int(dim1), .int(dim2))
    }
    /// The lower triangle; other entries zero.
    public func lowerTriangle(diagonal: Int = 0) -> Tensor { ATen.tril(.tensor(self), .int(diagonal)) }
}
