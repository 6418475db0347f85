import Torch

/// Validation shared by the tensor-based evaluations (kNN, GMM, probes): shapes, row counts, finite values and
/// labels are checked before any tensor work, so bad input gives an `EvaluationError` sentence, not a trap.
enum RepresentationChecks {
    /// Checks that `representations` is a finite [N, D] matrix with N, D > 0.
    static func representations(_ representations: Tensor, _ what: String) throws {
        guard representations.rank == 2, representations.size(0) > 0, representations.size(1) > 0 else {
            throw EvaluationError.unexpectedShape(
                what: "\(what) representations", shape: representations.shape,
                expected: "a non-empty matrix [samples, features]")
        }
        try finite(representations, "\(what) representations")
    }

    /// Checks that every element of a floating-point tensor is finite.
    static func finite(_ values: Tensor, _ what: String) throws {
        guard !values.dtype.isFloatingPoint || values.isFinite().all() else {
            throw EvaluationError.nonFiniteValues(what: what)
        }
    }

    /// Checks that `labels` holds one whole, non-negative class index per row of a [rows, …] matrix and returns
    /// them as an int64 vector.
    static func classLabels(_ labels: Tensor, rows: Int, _ what: String) throws -> Tensor {
        let flat = labels.rank == 2 && labels.size(1) == 1 ? labels.reshaped([-1]) : labels
        guard flat.rank == 1 else {
            throw EvaluationError.unexpectedShape(what: "\(what) labels", shape: labels.shape,
                                                  expected: "one class index per sample, [samples]")
        }
        guard flat.size(0) == rows else {
            throw EvaluationError.rowCountMismatch(what: what, representations: rows, labels: flat.size(0))
        }
        try finite(flat, "\(what) labels")
        if flat.dtype.isFloatingPoint, !(flat.floor() .== flat).all() {
            throw EvaluationError.invalidLabels(what: "\(what) labels", reason: "class indices must be whole numbers.")
        }
        let indices = flat.long
        guard (indices .>= 0).all() else {
            throw EvaluationError.invalidLabels(what: "\(what) labels", reason: "class indices must not be negative.")
        }
        return indices
    }

    /// Checks that `targets` is a finite [rows, K] matrix (a vector counts as K = 1) and returns it as float32.
    static func targetMatrix(_ targets: Tensor, rows: Int, _ what: String) throws -> Tensor {
        let matrix = targets.rank == 1 ? targets.reshaped([-1, 1]) : targets
        guard matrix.rank == 2, matrix.size(1) > 0 else {
            throw EvaluationError.unexpectedShape(what: what, shape: targets.shape, expected: "a matrix [samples, targets]")
        }
        guard matrix.size(0) == rows else {
            throw EvaluationError.rowCountMismatch(what: what, representations: rows, labels: matrix.size(0))
        }
        try finite(matrix, what)
        return matrix.float
    }

    /// Checks that `targets` holds only 0 and 1 (binary attributes) and returns them as float32.
    static func binaryMatrix(_ targets: Tensor, rows: Int, _ what: String) throws -> Tensor {
        let matrix = try targetMatrix(targets, rows: rows, what)
        guard ((matrix .== 0).logicalOr(matrix .== 1)).all() else {
            throw EvaluationError.invalidLabels(what: what, reason: "binary attributes must be 0 or 1.")
        }
        return matrix
    }

    /// The number of classes, `1 + ` the largest index in any of the label vectors.
    static func classCount(_ labels: Tensor...) -> Int {
        labels.map { Int($0.max().item) + 1 }.max() ?? 0
    }
}
