import Foundation
import Torch

/// The formats metrics can be written in besides `metrics.jsonl` (`simvae train --log`).
public enum MetricsFormat: String, CaseIterable, Sendable {
    /// TensorBoard event files in `<run>/tensorboard/` (scalars, by step).
    case tensorboard
    /// `<run>/metrics.csv`, one row per record.
    case csv
}

/// Appends one JSON object per line to a run's `metrics.jsonl`, flushed line by line so a crash loses
/// nothing already logged; also writes the records as TensorBoard scalars and CSV rows when asked.
public final class MetricsWriter {
    private let handle: FileHandle
    private let tensorBoard: TensorBoardEventWriter?
    private let table: MetricsCSV?

    /// Opens `url` for appending. Lines logged after step `keepingStepsThrough` (by an interrupted session
    /// whose work is being redone) are dropped first, so a resumed run's log has each step once. `formats` add
    /// `tensorboard/` (a new event file per session; TensorBoard drops a restarted run's orphaned steps) and
    /// `metrics.csv` (rewritten from the kept records) beside `url`.
    public init(url: URL, keepingStepsThrough lastStep: Int?, formats: Set<MetricsFormat> = []) throws {
        let manager = FileManager.default
        if let lastStep, let data = manager.contents(atPath: url.path) {
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
            var kept: [Substring] = []
            for (index, line) in lines.enumerated() {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let step = object["step"] as? Int
                else {
                    // Only the last line can be torn by a crash mid-write; anything else is damage to keep.
                    if index == lines.count - 1 { continue }
                    throw ConfigurationError("\(url.path): line \(index + 1) is not a metrics record (JSON with a "
                        + "\"step\"); repair or remove the line, then resume again")
                }
                if step <= lastStep { kept.append(line) }
            }
            try AtomicFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: url)
        } else if lastStep == nil || !manager.fileExists(atPath: url.path) {
            manager.createFile(atPath: url.path, contents: nil)
        }
        do {
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw ConfigurationError("cannot append to \(url.path): \(error.localizedDescription)")
        }
        let folder = url.deletingLastPathComponent()
        do {
            tensorBoard = formats.contains(.tensorboard)
                ? try TensorBoardEventWriter(folder: folder.appendingPathComponent("tensorboard")) : nil
        } catch {
            throw ConfigurationError("--log tensorboard: \(error)")
        }
        table = formats.contains(.csv)
            ? try MetricsCSV(url: folder.appendingPathComponent("metrics.csv"), records: Self.records(in: url)) : nil
    }

    /// The records of a metrics file (a torn last line skipped).
    private static func records(in url: URL) -> [[String: Any]] {
        let lines = String(decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
            .split(separator: "\n")
        return lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    deinit { try? handle.close() }

    /// Writes one record; non-finite numbers are written as null (JSON has no NaN).
    public func log(_ record: [String: Any]) throws {
        let cleaned = record.mapValues { value -> Any in
            if let number = value as? Double, !number.isFinite { return NSNull() }
            return value
        }
        var line = try JSONSerialization.data(withJSONObject: cleaned, options: [.sortedKeys])
        line.append(0x0A)
        try handle.write(contentsOf: line)
        try table?.append(record)
        if let tensorBoard, let step = record["step"] as? Int {
            let scalars = record.sorted { $0.key < $1.key }.compactMap { key, value -> (tag: String, value: Double)? in
                guard key != "step" else { return nil }
                if let number = value as? Double { return (key, number) }
                return (value as? Int).map { (key, Double($0)) }
            }
            try tensorBoard.write(scalars: scalars, step: step)
        }
    }
}
