import Foundation
import Torch

/// Appends one JSON object per line to a run's `metrics.jsonl`, flushed line by line so a crash loses
/// nothing already logged.
public final class MetricsWriter {
    private let handle: FileHandle

    /// Opens `url` for appending. Lines logged after step `keepingStepsThrough` (by an interrupted session
    /// whose work is being redone) are dropped first, so a resumed run's log has each step once.
    public init(url: URL, keepingStepsThrough lastStep: Int?) throws {
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
    }
}
