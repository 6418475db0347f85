import Foundation

/// One logged row of a run's `metrics.jsonl`: its numeric fields (epoch, step, loss terms, images/s, lr, …).
///
/// Every field must be a number or `null` (the trainer writes a non-finite value as `null`; such fields are left
/// out); `epoch` and `step` must be whole numbers ≥ 0.
public struct MetricsRecord: Equatable, Sendable, Decodable {
    /// Every numeric field of the row, by its JSON key.
    public let values: [String: Double]

    /// Creates a row from its numeric fields.
    public init(values: [String: Double]) {
        self.values = values
    }

    /// Decodes one JSON object, keeping its numeric fields.
    ///
    /// - Throws: an error naming the first field of another type or range, which `MetricsLog` reports as
    ///   `EvaluationError.invalidEntry` with the line number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        var values: [String: Double] = [:]
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
            let isPosition = MetricsLog.positionKeys.contains(key.stringValue)
            let expected = isPosition ? "a whole number ≥ 0" : "a number or null"
            guard let value = try container.entry(Double.self, forKey: key, expected: expected) else { continue }
            guard value.isFinite, !isPosition || (value >= 0 && value.rounded() == value) else {
                throw InvalidEntry(key: key.stringValue, value: numberText(value), expected: expected)
            }
            values[key.stringValue] = value
        }
        self.values = values
    }

    /// The epoch of the row, when logged.
    public var epoch: Double? { values["epoch"] }
    /// The optimisation step of the row, when logged.
    public var step: Double? { values["step"] }
}

/// The parsed `metrics.jsonl` of a run: one JSON object per line.
///
/// A crashed run may leave its last line cut off; such a line (one that starts like an object but is not valid
/// JSON) is dropped and reported in `truncatedLine`. Any other malformed line, or a field of the wrong type or
/// range (see `MetricsRecord`), is an error naming the line.
public struct MetricsLog: Equatable, Sendable {
    /// The keys that locate a row in time rather than measure something.
    public static let positionKeys: Set<String> = ["epoch", "step"]

    /// The rows, in file order.
    public let records: [MetricsRecord]
    /// The 1-based line number of a truncated last line that was dropped, if any.
    public let truncatedLine: Int?

    /// Creates a log from rows already parsed.
    public init(records: [MetricsRecord], truncatedLine: Int? = nil) {
        self.records = records
        self.truncatedLine = truncatedLine
    }

    /// Parses the text of a `metrics.jsonl` file; blank lines are skipped.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: a name for the file used in error messages, such as its path.
    /// - Throws: `EvaluationError.malformedMetricsLine` for a line that is not a JSON object, unless it is a
    ///   truncated last line, and `EvaluationError.invalidEntry` (source `line N of <source>`) for a field of
    ///   the wrong type or range.
    public init(parsing text: String, source: String = "metrics.jsonl") throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespaces)) }
            .filter { !$0.text.isEmpty }
        var records: [MetricsRecord] = []
        var truncatedLine: Int?
        let decoder = JSONDecoder()
        for (index, line) in lines.enumerated() {
            do {
                records.append(try decoder.decode(MetricsRecord.self, from: Data(line.text.utf8)))
            } catch let entry as InvalidEntry {
                throw entry.error(in: "line \(line.number) of \(source)")
            } catch {
                guard index == lines.count - 1, line.text.hasPrefix("{") else {
                    throw EvaluationError.malformedMetricsLine(
                        source: source, line: line.number, excerpt: String(line.text.prefix(80)))
                }
                truncatedLine = line.number
            }
        }
        self.init(records: records, truncatedLine: truncatedLine)
    }

    /// Reads and parses the `metrics.jsonl` file at `url`.
    ///
    /// - Throws: `EvaluationError` naming the path (and the line) when the file is unreadable, not UTF-8, or has a
    ///   malformed line or field.
    public init(contentsOf url: URL) throws {
        guard let text = String(data: try readFile(url), encoding: .utf8) else {
            throw EvaluationError.unreadableFile(path: url.path, reason: "it is not UTF-8 text.")
        }
        try self.init(parsing: text, source: url.path)
    }

    /// The measured keys (all but epoch and step), by first appearance (alphabetical within a row).
    public var terms: [String] {
        var seen: Set<String> = []
        var terms: [String] = []
        for record in records {
            for key in record.values.keys.sorted() where !Self.positionKeys.contains(key) && seen.insert(key).inserted {
                terms.append(key)
            }
        }
        return terms
    }

    /// Keys that describe the run's bookkeeping rather than its learning, or the online monitor's (plotted on
    /// their own); reports do not plot them as training curves.
    public static let bookkeepingKeys = Set(["epoch_seconds", "images_per_s", "peak_rss_mib"])
        .union(monitorKeys)

    /// The curve of `term` over training: x is the step when logged, else the epoch, else the row index.
    /// When a log has both per-step rows and per-epoch summaries (rows with `epoch_seconds`), the summaries
    /// are left out so the curve does not zigzag between the two.
    public func curve(of term: String) -> [PlotPoint] {
        let hasStepRows = records.contains { $0.values["epoch_seconds"] == nil && $0.values[term] != nil }
        return records.enumerated().compactMap { index, record in
            if hasStepRows && record.values["epoch_seconds"] != nil { return nil }
            return record.values[term].map { PlotPoint(x: record.step ?? record.epoch ?? Double(index), y: $0) }
        }
    }
}
