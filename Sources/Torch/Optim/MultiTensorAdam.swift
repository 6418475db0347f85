/// Adam's update of a list of parameters with libtorch's multi-tensor (`_foreach_`) operators, which exist from
/// libtorch 1.13 on: on a GPU each operator is a few kernel launches for the whole list instead of a chain of
/// kernels per parameter. Every parameter of one update is at the same step, so they share its coefficients.
struct MultiTensorAdamUpdate {
    /// The parameters, their gradients and their two moments, index by index.
    private(set) var parameters: [Tensor] = [], gradients: [Tensor] = [], firstMoments: [Tensor] = [],
                     secondMoments: [Tensor] = []

    /// The number of parameters collected.
    var count: Int { parameters.count }

    /// Adds one parameter with its gradient and moments.
    mutating func append(_ parameter: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor) {
        parameters.append(parameter)
        gradients.append(gradient)
        firstMoments.append(firstMoment)
        secondMoments.append(secondMoment)
    }

    /// Whether `parameter` (the same tensor object) is already collected.
    func contains(_ parameter: Tensor) -> Bool { parameters.contains { $0 === parameter } }

    /// Runs the update: g ← g + l2·p; m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²;
    /// p ← p − stepSize · m / (√v / sqrtCorrection2 + ε). Call inside `withNoGrad`.
    func run(beta1: Double, beta2: Double, eps: Double, stepSize: Double, sqrtCorrection2: Double, l2: Double) {
        guard !parameters.isEmpty else { return }
        let p = OperatorArgument.tensors(parameters), m = OperatorArgument.tensors(firstMoments)
        let v = OperatorArgument.tensors(secondMoments)
        let g = OperatorArgument.tensors(l2 != 0 ? Foreach.add.tensors(.tensors(gradients), p, .scalar(l2)) : gradients)
        _ = Foreach.mul_.tensors(m, .scalar(beta1))
        _ = Foreach.add_.tensors(m, g, .scalar(1 - beta1))
        _ = Foreach.mul_.tensors(v, .scalar(beta2))
        _ = Foreach.addcmul_.tensors(v, g, g, .scalar(1 - beta2))
        let denominators = OperatorArgument.tensors(Foreach.sqrt.tensors(v))
        _ = Foreach.divScalar_.tensors(denominators, .scalar(sqrtCorrection2))
        _ = Foreach.addScalar_.tensors(denominators, .scalar(eps))
        _ = Foreach.addcdiv_.tensors(p, m, denominators, .scalar(-stepSize))
    }
}

/// The `_foreach_` operators of the multi-tensor update, resolved on first use.
private enum Foreach {
    static let mul_ = Operator("_foreach_mul_", "Scalar"), add_ = Operator("_foreach_add_", "List")
    static let add = Operator("_foreach_add", "List"), addScalar_ = Operator("_foreach_add_", "Scalar")
    static let addcmul_ = Operator("_foreach_addcmul_", "Scalar"), sqrt = Operator("_foreach_sqrt")
    static let divScalar_ = Operator("_foreach_div_", "Scalar"), addcdiv_ = Operator("_foreach_addcdiv_", "Scalar")
}
