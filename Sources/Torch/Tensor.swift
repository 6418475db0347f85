import CTorch

/// An n-dimensional array in libtorch, with autograd. A `Tensor` owns one libtorch handle and releases it when
/// it goes away. Operations return new tensors; methods ending in `_` (`add_`, `zero_`) modify in place, as in
/// PyTorch. A tensor is not `Sendable`: share data between threads by copying it out (`scalars(as:)`).
public final class Tensor {
    let handle: ct_tensor

    /// Wraps a handle the shim returned; the tensor takes ownership.
    init(handle: ct_tensor) { self.handle = handle }

    deinit { ct_tensor_free(handle) }

    /// A tensor holding a copy of `scalars` laid out in row-major order with the given shape.
    public convenience init<T: TensorScalar>(_ scalars: [T], shape: [Int]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
        let handle = scalars.withUnsafeBytes { raw in
            Tensor.makeHandle(raw.baseAddress, shape: shape, dtype: T.dtype)
        }
        self.init(handle: handle)
    }

    /// A 1-D tensor holding a copy of `scalars`.
    public convenience init<T: TensorScalar>(_ scalars: [T]) {
        self.init(scalars, shape: [scalars.count])
    }

    /// A 0-D tensor holding one value.
    public convenience init<T: TensorScalar>(scalar: T) {
        self.init([scalar], shape: [])
    }

    /// A CPU tensor holding a copy of raw memory with the given shape and element type.
    public convenience init(copying bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) {
        precondition(bytes.count == shape.reduce(1, *) * dtype.byteCount,
                     "\(bytes.count) bytes do not fill shape \(shape) of \(dtype)")
        self.init(handle: Tensor.makeHandle(bytes.baseAddress, shape: shape, dtype: dtype))
    }

    /// A new tensor's handle; a failure (out of memory) goes through `FailureScope` like an operator's.
    private static func makeHandle(_ data: UnsafeRawPointer?, shape: [Int], dtype: DType) -> ct_tensor {
        let sizes = shape.map { Int64($0) }
        return FailureScope.handle("tensor creation") {
            ct_tensor_from_data(data, sizes, Int32(sizes.count), dtype.rawValue)
        }
    }

    /// The size of every dimension.
    public var shape: [Int] {
        let rank = Int(ct_tensor_dim(handle))
        var sizes = [Int64](repeating: 0, count: rank)
        ct_tensor_sizes(handle, &sizes)
        return sizes.map { Int($0) }
    }

    /// Number of dimensions.
    public var rank: Int { Int(ct_tensor_dim(handle)) }

    /// Number of elements.
    public var count: Int { Int(ct_tensor_numel(handle)) }

    /// Element type.
    public var dtype: DType { DType(rawValue: ct_tensor_dtype(handle)) ?? .float32 }

    /// Where the tensor's memory lives.
    public var device: Device {
        ct_tensor_device_type(handle) == 1 ? .cuda(Int(ct_tensor_device_index(handle))) : .cpu
    }

    /// Whether the elements are laid out densely in row-major order.
    public var isContiguous: Bool { ct_tensor_is_contiguous(handle) }

    /// Size of dimension `dimension` (negative counts from the end). Traps for a dimension the tensor lacks,
    /// except in a failed `Tensor.checking` scope (where the tensor may be a placeholder): 0 then.
    public func size(_ dimension: Int) -> Int {
        let sizes = shape
        let index = dimension < 0 ? dimension + sizes.count : dimension
        guard sizes.indices.contains(index) else {
            precondition(FailureScope.failure != nil, "dimension \(dimension) is out of range for shape \(sizes)")
            return 0
        }
        return sizes[index]
    }

    /// A copy of all elements in row-major order, converted to `T`'s element type first if needed.
    /// In a failed `Tensor.checking` scope, as many zeros as the tensor has elements.
    public func scalars<T: TensorScalar>(as type: T.Type = T.self) -> [T] {
        let source = dtype == T.dtype ? self : to(T.dtype)
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            if FailureScope.failure == nil,
               ct_tensor_copy_to(source.handle, bytes.baseAddress, Int64(bytes.count)) != 0 {
                FailureScope.record(TorchError.last("copying a tensor out"))
            }
            if FailureScope.failure != nil { bytes.initializeMemory(as: UInt8.self, repeating: 0) }
            initialized = buffer.count
        }
    }

    /// The single value of a one-element tensor, as a `Double`; NaN in a failed `Tensor.checking` scope.
    public var item: Double {
        if FailureScope.failure != nil { return .nan }
        precondition(count == 1, "item needs a tensor with one element, this one has shape \(shape)")
        return scalars(as: Double.self)[0]
    }

    /// The elements as `Float`s (a convenience for tests and small results).
    public var floats: [Float] { scalars(as: Float.self) }

    /// Runs `body` with the elements of a contiguous CPU tensor in place, without copying.
    /// The pointer is valid only inside `body` (and nil for a tensor without elements). Throws for another
    /// tensor, and throws the failure of a failed `Tensor.checking` scope without running `body`.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) throws -> R {
        if let failure = FailureScope.failure { throw failure }
        guard device == .cpu && isContiguous else {
            throw TorchError("withUnsafeMutableBytes needs a contiguous CPU tensor")
        }
        let byteCount = count * dtype.byteCount
        let pointer = ct_tensor_data_ptr(handle)
        guard pointer != nil || byteCount == 0 else { throw TorchError.last() }
        return try withExtendedLifetime(self) {
            try body(UnsafeMutableRawBufferPointer(start: pointer, count: byteCount))
        }
    }

    /// Makes this tensor object refer to `other`'s data (used to move parameters without changing identity).
    /// Does nothing in a failed `Tensor.checking` scope, where `other` may be a placeholder.
    func replaceStorage(with other: Tensor) {
        guard FailureScope.failure == nil else { return }
        ct_tensor_assign(handle, other.handle)
    }

    /// A second reference to the same tensor data and autograd identity.
    public func shared() -> Tensor { Tensor(handle: ct_tensor_share(handle)) }
}

extension Tensor: CustomStringConvertible {
    /// The values as libtorch prints them, with the shape and type.
    public var description: String {
        guard let text = ct_tensor_to_string(handle) else { return "Tensor(\(shape), \(dtype))" }
        defer { ct_free(text) }
        return String(cString: text)
    }
}
