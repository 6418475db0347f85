import Foundation

/// Whole-file reads and atomic writes, with errors that name the file.
enum FileBytes {
    /// The bytes of the file at `path`.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(file: path, exists ? "cannot be read (permissions?)" : "no such file")
        }
        return [UInt8](data)
    }

    /// Writes `bytes` to `path` atomically (temporary file, then rename), creating the folder if needed.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw DataError(file: path, "cannot be written (\(error.localizedDescription))")
        }
    }
}
