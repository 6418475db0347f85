/// A failure of the tensor-free evaluation code, described by one human sentence.
///
/// Everything fed by users or files (label arrays, `eval.json`, `metrics.jsonl`, images) is validated and fails
/// with one of these cases instead of trapping.
public enum EvaluationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A matrix whose rows have different lengths.
    case raggedMatrix(rowLengths: Set<Int>)
    /// A cost or profit matrix holding NaN or an infinity.
    case nonFiniteEntry(row: Int, column: Int)
    /// Two label arrays that should describe the same samples have different lengths.
    case lengthMismatch(labels: Int, predictions: Int)
    /// A metric value that should be a fraction in [0, 1] is not.
    case fractionOutOfRange(key: String, value: Double)
    /// A JSON document that could not be decoded.
    case malformedJSON(source: String, reason: String)
    /// A line of a `metrics.jsonl` file that is not a JSON object of metrics.
    case malformedMetricsLine(source: String, line: Int, excerpt: String)
    /// A file that could not be read.
    case unreadableFile(path: String, reason: String)
    /// A file that could not be written.
    case unwritableFile(path: String, reason: String)

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
        case .fractionOutOfRange(let key, let value):
            return "\(key) is \(value), but it must be a fraction between 0 and 1."
        case .malformedJSON(let source, let reason):
            return "\(source) is not valid JSON of the expected shape: \(reason)"
        case .malformedMetricsLine(let source, let line, let excerpt):
            return "Line \(line) of \(source) is not a JSON object of metrics: \"\(excerpt)\"."
        case .unreadableFile(let path, let reason):
            return "Cannot read \(path): \(reason)"
        case .unwritableFile(let path, let reason):
            return "Cannot write \(path): \(reason)"
        }
    }
}
