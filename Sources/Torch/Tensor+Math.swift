/// Elementwise mathematical functions.
extension Tensor {
    /// eˣ, elementwise.
    public func exp() -> Tensor { ATen.exp(.tensor(self)) }
    /// The natural logarithm, elementwise.
    public func log() -> Tensor { ATen.log(.tensor(self)) }
    /// log(1 + x), accurate near 0.
    public func log1p() -> Tensor { ATen.log1p(.tensor(self)) }
    /// √x, elementwise.
    public func sqrt() -> Tensor { ATen.sqrt(.tensor(self)) }
    /// 1 / √x.
    public func rsqrt() -> Tensor { ATen.rsqrt(.tensor(self)) }
    /// x², elementwise.
    public func squared() -> Tensor { ATen.square(.tensor(self)) }
    /// xᵉ for the number e = `exponent`, elementwise.
    public func pow(_ exponent: Double) -> Tensor { ATen.powScalar(.tensor(self), .double(exponent)) }
    /// xᵉ with the exponents of `exponent`, elementwise, broadcasting the shapes.
    public func pow(_ exponent: Tensor) -> Tensor { ATen.powTensor(.tensor(self), .tensor(exponent)) }
    /// |x|, elementwise.
    public func abs() -> Tensor { ATen.abs(.tensor(self)) }
    /// −1, 0 or 1 by the sign of each element.
    public func sign() -> Tensor { ATen.sign(.tensor(self)) }
    /// The largest whole number at most x, elementwise.
    public func floor() -> Tensor { ATen.floor(.tensor(self)) }
    /// The smallest whole number at least x, elementwise.
    public func ceil() -> Tensor { ATen.ceil(.tensor(self)) }
    /// The nearest whole number, halves to even (`torch.round`), elementwise.
    public func rounded() -> Tensor { ATen.round(.tensor(self)) }
    /// The sine (of radians), elementwise.
    public func sin() -> Tensor { ATen.sin(.tensor(self)) }
    /// The cosine (of radians), elementwise.
    public func cos() -> Tensor { ATen.cos(.tensor(self)) }
    /// The error function, elementwise.
    public func erf() -> Tensor { ATen.erf(.tensor(self)) }
    /// 1 / (1 + e⁻ˣ), elementwise.
    public func sigmoid() -> Tensor { ATen.sigmoid(.tensor(self)) }
    /// The hyperbolic tangent, elementwise.
    public func tanh() -> Tensor { ATen.tanh(.tensor(self)) }
    /// max(x, 0), elementwise.
    public func relu() -> Tensor { ATen.relu(.tensor(self)) }
    /// x where x ≥ 0 and `negativeSlope`·x below, elementwise.
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor {
        ATen.leakyRelu(.tensor(self), .double(negativeSlope))
    }
    /// log(1 + exp(βx)) / β, linear above `threshold`.
    public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
        ATen.softplus(.tensor(self), .double(beta), .double(threshold))
    }

    /// Values limited to [min, max]; either bound may be omitted.
    public func clamped(min: Double? = nil, max: Double? = nil) -> Tensor {
        ATen.clamp(.tensor(self), min.map { .double($0) } ?? .none, max.map { .double($0) } ?? .none)
    }

    /// self + weight · (end − self).
    public func lerp(to end: Tensor, weight: Double) -> Tensor {
        ATen.lerp(.tensor(self), .tensor(end), .double(weight))
    }
}
