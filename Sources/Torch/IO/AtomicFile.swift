import Foundation

/// Crash-safe file replacement: write a temporary sibling, flush it to disk, rename it over the target,
/// then flush the folder, so a reader sees either the old file or the new one, never a torn mix.
public enum AtomicFile {
    /// Atomically replaces `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        // Unique per call, not just per process: two threads writing the same file must not share a temporary.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw TorchError("cannot create \(temporary.path): check that \(folder.path) exists and is writable")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw TorchError("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error as? TorchError ?? TorchError("cannot write \(url.path): \(error.localizedDescription)")
        }
        let descriptor = open(folder.path, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
