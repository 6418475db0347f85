/// In-place updates, named like PyTorch's trailing-underscore methods. Use them on tensors that do not
/// require gradients, or inside `withNoGrad`.
extension Tensor {
    /// Sets every element to zero.
    @discardableResult public func zero_() -> Tensor { ATen.zero_(.tensor(self)) }
    /// Sets every element to `value`.
    @discardableResult public func fill_(_ value: Double) -> Tensor { ATen.fill_(.tensor(self), .scalar(value)) }
    /// Copies `source` (broadcast, converted) into this tensor.
    @discardableResult public func copy_(_ source: Tensor) -> Tensor { ATen.copy_(.tensor(self), .tensor(source)) }
    /// self += alpha · other.
    @discardableResult public func add_(_ other: Tensor, alpha: Double = 1) -> Tensor {
        ATen.add_(.tensor(self), .tensor(other), .scalar(alpha))
    }
    /// self += value.
    @discardableResult public func add_(_ value: Double) -> Tensor { ATen.addScalar_(.tensor(self), .scalar(value)) }
    /// self *= other.
    @discardableResult public func mul_(_ other: Tensor) -> Tensor { ATen.mul_(.tensor(self), .tensor(other)) }
    /// self *= value.
    @discardableResult public func mul_(_ value: Double) -> Tensor { ATen.mulScalar_(.tensor(self), .scalar(value)) }
    /// self += value · a · b.
    @discardableResult public func addcmul_(_ a: Tensor, _ b: Tensor, value: Double = 1) -> Tensor {
        ATen.addcmul_(.tensor(self), .tensor(a), .tensor(b), .double(value))
    }
    /// self += value · a / b.
    @discardableResult public func addcdiv_(_ a: Tensor, _ b: Tensor, value: Double = 1) -> Tensor {
        ATen.addcdiv_(.tensor(self), .tensor(a), .tensor(b), .double(value))
    }
    /// self += weight · (end − self).
    @discardableResult public func lerp_(_ end: Tensor, weight: Double) -> Tensor {
        ATen.lerp_(.tensor(self), .tensor(end), .double(weight))
    }
    /// Fills with normal samples.
    @discardableResult public func normal_(mean: Double = 0, std: Double = 1) -> Tensor {
        ATen.normal_(.tensor(self), .double(mean), .double(std))
    }
    /// Fills with uniform samples in [low, high).
    @discardableResult public func uniform_(_ low: Double = 0, _ high: Double = 1) -> Tensor {
        ATen.uniform_(.tensor(self), .double(low), .double(high))
    }
}
