/// Arithmetic with broadcasting, as Swift operators and methods.
extension Tensor {
    /// Elementwise sum, broadcasting the shapes.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.add(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise difference, broadcasting the shapes.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.sub(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise product, broadcasting the shapes.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.mul(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise quotient, broadcasting the shapes.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.div(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise negation.
    public static prefix func - (operand: Tensor) -> Tensor { ATen.neg(.tensor(operand)) }

    /// Adds a number to every element.
    public static func + (lhs: Tensor, rhs: Double) -> Tensor { ATen.addScalar(.tensor(lhs), .scalar(rhs)) }
    /// Subtracts a number from every element.
    public static func - (lhs: Tensor, rhs: Double) -> Tensor { ATen.subScalar(.tensor(lhs), .scalar(rhs)) }
    /// Multiplies every element by a number.
    public static func * (lhs: Tensor, rhs: Double) -> Tensor { ATen.mulScalar(.tensor(lhs), .scalar(rhs)) }
    /// Divides every element by a number.
    public static func / (lhs: Tensor, rhs: Double) -> Tensor { ATen.divScalar(.tensor(lhs), .scalar(rhs)) }
    /// Adds a number to every element.
    public static func + (lhs: Double, rhs: Tensor) -> Tensor { rhs + lhs }
    /// Subtracts every element from a number.
    public static func - (lhs: Double, rhs: Tensor) -> Tensor { ATen.rsubScalar(.tensor(rhs), .scalar(lhs)) }
    /// Multiplies every element by a number.
    public static func * (lhs: Double, rhs: Tensor) -> Tensor { rhs * lhs }
    /// Divides a number by every element.
    public static func / (lhs: Double, rhs: Tensor) -> Tensor { rhs.reciprocal() * lhs }

    /// 1 / x, elementwise.
    public func reciprocal() -> Tensor { ATen.powScalar(.tensor(self), .double(-1)) }

    /// Matrix product with broadcasting of batch dimensions (`torch.matmul`).
    public func matmul(_ other: Tensor) -> Tensor { ATen.matmul(.tensor(self), .tensor(other)) }

    /// Batched matrix product of [B, n, m] and [B, m, p].
    public func bmm(_ other: Tensor) -> Tensor { ATen.bmm(.tensor(self), .tensor(other)) }

    /// Outer product of two vectors.
    public func outer(_ other: Tensor) -> Tensor { ATen.outer(.tensor(self), .tensor(other)) }

    /// Elementwise maximum of two tensors.
    public func maximum(_ other: Tensor) -> Tensor { ATen.maximum(.tensor(self), .tensor(other)) }

    /// Elementwise minimum of two tensors.
    public func minimum(_ other: Tensor) -> Tensor { ATen.minimum(.tensor(self), .tensor(other)) }

    /// The transposed matrix (`.T` of a 2-D tensor).
    public var T: Tensor { transposed(0, 1) }
}

infix operator .== : ComparisonPrecedence
infix operator .!= : ComparisonPrecedence
infix operator .< : ComparisonPrecedence
infix operator .<= : ComparisonPrecedence
infix operator .> : ComparisonPrecedence
infix operator .>= : ComparisonPrecedence

/// Elementwise comparisons giving boolean tensors (the dotted operators follow Swift's SIMD types).
extension Tensor {
    /// Elementwise equality as a boolean tensor, broadcasting the shapes.
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.eq(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise inequality as a boolean tensor, broadcasting the shapes.
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.ne(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise less-than as a boolean tensor, broadcasting the shapes.
    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.lt(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise less-than-or-equal as a boolean tensor, broadcasting the shapes.
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.le(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise greater-than as a boolean tensor, broadcasting the shapes.
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.gt(.tensor(lhs), .tensor(rhs)) }
    /// Elementwise greater-than-or-equal as a boolean tensor, broadcasting the shapes.
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { ATen.ge(.tensor(lhs), .tensor(rhs)) }
    /// Whether each element equals a number, as a boolean tensor.
    public static func .== (lhs: Tensor, rhs: Double) -> Tensor { ATen.eqScalar(.tensor(lhs), .scalar(rhs)) }
    /// Whether each element differs from a number, as a boolean tensor.
    public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { ATen.neScalar(.tensor(lhs), .scalar(rhs)) }
    /// Whether each element is less than a number, as a boolean tensor.
    public static func .< (lhs: Tensor, rhs: Double) -> Tensor { ATen.ltScalar(.tensor(lhs), .scalar(rhs)) }
    /// Whether each element is at most a number, as a boolean tensor.
    public static func .<= (lhs: Tensor, rhs: Double) -> Tensor { ATen.leScalar(.tensor(lhs), .scalar(rhs)) }
    /// Whether each element is greater than a number, as a boolean tensor.
    public static func .> (lhs: Tensor, rhs: Double) -> Tensor { ATen.gtScalar(.tensor(lhs), .scalar(rhs)) }
    /// Whether each element is at least a number, as a boolean tensor.
    public static func .>= (lhs: Tensor, rhs: Double) -> Tensor { ATen.geScalar(.tensor(lhs), .scalar(rhs)) }

    /// `torch.where(condition, a, b)`.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
        ATen.whereSelf(.tensor(condition), .tensor(a), .tensor(b))
    }

    /// Elementwise logical negation of a boolean tensor.
    public func logicalNot() -> Tensor { ATen.logicalNot(.tensor(self)) }
    /// Elementwise logical and.
    public func logicalAnd(_ other: Tensor) -> Tensor { ATen.logicalAnd(.tensor(self), .tensor(other)) }
    /// Elementwise logical or.
    public func logicalOr(_ other: Tensor) -> Tensor { ATen.logicalOr(.tensor(self), .tensor(other)) }
    /// Where the elements are NaN.
    public func isNaN() -> Tensor { ATen.isnan(.tensor(self)) }
    /// Where the elements are finite.
    public func isFinite() -> Tensor { ATen.isfinite(.tensor(self)) }
}
