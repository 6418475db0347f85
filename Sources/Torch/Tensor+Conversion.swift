/// Type, device and memory-layout conversions.
extension Tensor {
    /// This tensor converted to another element type (itself when already of that type).
    public func to(_ dtype: DType) -> Tensor { ATen.toDtype(.tensor(self), .dtype(dtype)) }

    /// This tensor on another device, keeping its type.
    public func to(_ device: Device) -> Tensor { ATen.toDevice(.tensor(self), .device(device), .dtype(dtype)) }

    /// A dense row-major version of this tensor.
    public func contiguous() -> Tensor { ATen.contiguous(.tensor(self)) }

    /// A copy with its own memory (gradients flow through the copy).
    public func clone() -> Tensor { ATen.clone(.tensor(self)) }

    /// The same values, cut off from the autograd graph.
    public func detached() -> Tensor { ATen.detach(.tensor(self)) }

    /// Shorthand for `to(.float32)`.
    public var float: Tensor { to(.float32) }
    /// Shorthand for `to(.float64)`.
    public var double: Tensor { to(.float64) }
    /// Shorthand for `to(.int64)`.
    public var long: Tensor { to(.int64) }
}
