import Foundation
import Torch

/// `metrics.csv`: the records of `metrics.jsonl` as a table, one row per record, one column per key (`step` and
/// `epoch` first, then the others in the order they first appear); a key a record lacks is an empty cell.
///
/// Rows are appended as records arrive. A record with a key the header lacks rewrites the file with the wider
/// header (atomically), which happens a few times per run, when the first epoch summary or monitor value arrives.
final class MetricsCSV {
    private let url: URL
    private var columns: [String] = []
    private var rows: [[String: Any]] = []
    private var handle: FileHandle?

    /// Writes `url` afresh from `records` (the kept lines of `metrics.jsonl` when a run resumes).
    init(url: URL, records: [[String: Any]]) throws {
        self.url = url
        rows = records
        try rewrite()
    }

    deinit { try? handle?.close() }

    /// Adds one record as a row.
    func append(_ record: [String: Any]) throws {
        rows.append(record)
        guard record.keys.allSatisfy(columns.contains), let handle else { return try rewrite() }
        do {
            try handle.write(contentsOf: Data(line(for: record).utf8))
        } catch {
            throw ConfigurationError("cannot append to \(url.path): \(error.localizedDescription)")
        }
    }

    private func rewrite() throws {
        var keys = ["step", "epoch"].filter { key in rows.contains { $0[key] != nil } }
        for row in rows {
            for key in row.keys.sorted() where !keys.contains(key) { keys.append(key) }
        }
        columns = keys
        let text = columns.map(Self.escaped).joined(separator: ",") + "\n" + rows.map(line(for:)).joined()
        try? handle?.close()
        try AtomicFile.write(Data(text.utf8), to: url)
        handle = try? FileHandle(forWritingTo: url)
        _ = try handle?.seekToEnd()
    }

    private func line(for record: [String: Any]) -> String {
        columns.map { key in
            switch record[key] {
            case let number as Int: String(number)
            case let number as Double: number.isFinite ? String(number) : ""
            case let flag as Bool: String(flag)
            case let text as String: Self.escaped(text)
            default: ""
            }
        }.joined(separator: ",") + "\n"
    }

    /// Quotes a field holding a comma, a quote or a line break, doubling its quotes.
    private static func escaped(_ field: String) -> String {
        guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
