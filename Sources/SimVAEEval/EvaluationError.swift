/// A failure of the evaluation code, described by one human sentence.
///
/// Everything fed by users or files (representations, label arrays, `eval.json`, `metrics.jsonl`, images) is
/// validated and fails with one of these cases instead of trapping.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix whose rows have different lengths.
    case raggedMatrix(rowLengths: Set<Int>)
    /// A cost or profit matrix holding NaN or an infinity.
    case nonFiniteEntry(row: Int, column: Int)
    /// Two label arrays that should describe the same samples have different lengths.
    case lengthMismatch(labels: Int, predictions: Int)
    /// A value of a results file (`eval.json`, a line of `metrics.jsonl`) or of a result about to be written
    /// that has the wrong type or lies outside its range, such as a score of 97.5 or a `knn_k` of 0.
    case invalidEntry(source: String, key: String, value: String, expected: String)
    /// A document that is not JSON, or not a JSON object.
    case malformedJSON(source: String, reason: String)
    /// A line of a `metrics.jsonl` file that is not a JSON object of metrics.
    case malformedMetricsLine(source: String, line: Int, excerpt: String)
    /// A file that could not be read.
    case unreadableFile(path: String, reason: String)
    /// A file that could not be written.
    case unwritableFile(path: String, reason: String)
    /// A representation or label tensor of the wrong rank or width, e.g. labels given as a matrix to kNN.
    case unexpectedShape(what: String, shape: [Int], expected: String)
    /// Representations and labels (or targets) of one split that do not describe the same number of samples.
    case rowCountMismatch(what: String, representations: Int, labels: Int)
    /// A tensor of representations or targets holding NaN or an infinity.
    case nonFiniteValues(what: String)
    /// Class or attribute labels that are not whole numbers in the expected range.
    case invalidLabels(what: String, reason: String)
    /// Fewer samples than a method needs, such as fewer points than mixture components.
    case tooFewSamples(what: String, samples: Int, needed: Int)
    /// An evaluation setting outside its valid range.
    case invalidSetting(name: String, value: String, expected: String)
    /// A numerical failure, such as a covariance matrix that is not positive definite.
    case numericalFailure(what: String, reason: String)

    /// The failure as one human sentence.
    public var description: String {
        switch self {
        case .raggedMatrix(let lengths):
            let sorted = lengths.sorted().map(String.init).joined(separator: ", ")
            return "The matrix is ragged: its rows have different lengths (\(sorted))."
        case .nonFiniteEntry(let row, let column):
            return "The matrix entry at row \(row), column \(column) is not a finite number."
        case .lengthMismatch(let labels, let predictions):
            return "There are \(labels) labels but \(predictions) predictions; both must describe the same samples."
        case .invalidEntry(let source, let key, let value, let expected):
            return "\(key) in \(source) is \(value), but it must be \(expected)."
        case .malformedJSON(let source, let reason):
            return "\(source) cannot be read: \(reason)."
        case .malformedMetricsLine(let source, let line, let excerpt):
            return "Line \(line) of \(source) is not a JSON object of metrics: \"\(excerpt)\"."
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason):
            return "Cannot write \(path): \(reason)"
        case .unexpectedShape(let what, let shape, let expected):
            return "The \(what) have shape \(shape), but \(expected) is needed."
        case .rowCountMismatch(let what, let representations, let labels):
            return "The \(what) has \(representations) representations but \(labels) labels; "
                + "each representation needs exactly one label row."
        case .nonFiniteValues(let what):
            return "The \(what) hold NaN or infinite values; check the model that produced them."
        case .invalidLabels(let what, let reason):
            return "The \(what) are not usable: \(reason)"
        case .tooFewSamples(let what, let samples, let needed):
            return "\(what) needs at least \(needed) samples, but only \(samples) were given."
        case .invalidSetting(let name, let value, let expected):
            return "The setting \(name) is \(value), but it must be \(expected)."
        case .numericalFailure(let what, let reason):
            return "\(what) failed numerically: \(reason)"
        }
    }
}
