/// Elementwise mathematical functions.
extension Tensor {
    public func exp() -> Tensor { ATen.exp(.tensor(self)) }
    public func log() -> Tensor { ATen.log(.tensor(self)) }
    /// log(1 + x), accurate near 0.
    public func log1p() -> Tensor { ATen.log1p(.tensor(self)) }
    public func sqrt() -> Tensor { ATen.sqrt(.tensor(self)) }
    /// 1 / √x.
    public func rsqrt() -> Tensor { ATen.rsqrt(.tensor(self)) }
    public func squared() -> Tensor { ATen.square(.tensor(self)) }
    public func pow(_ exponent: Double) -> Tensor { ATen.powScalar(.tensor(self), .double(exponent)) }
    public func pow(_ exponent: Tensor) -> Tensor { ATen.powTensor(.tensor(self), .tensor(exponent)) }
    public func abs() -> Tensor { ATen.abs(.tensor(self)) }
    public func sign() -> Tensor { ATen.sign(.tensor(self)) }
    public func floor() -> Tensor { ATen.floor(.tensor(self)) }
    public func ceil() -> Tensor { ATen.ceil(.tensor(self)) }
    public func rounded() -> Tensor { ATen.round(.tensor(self)) }
    public func sin() -> Tensor { ATen.sin(.tensor(self)) }
    public func cos() -> Tensor { ATen.cos(.tensor(self)) }
    public func erf() -> Tensor { ATen.erf(.tensor(self)) }
    public func sigmoid() -> Tensor { ATen.sigmoid(.tensor(self)) }
    public func tanh() -> Tensor { ATen.tanh(.tensor(self)) }
    public func relu() -> Tensor { ATen.relu(.tensor(self)) }
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
