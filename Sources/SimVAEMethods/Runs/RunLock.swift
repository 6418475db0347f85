import Foundation

/// Exclusive use of a run folder by one writer, through an advisory `flock` on `<run>/.lock` that holds the
/// writer's process id. The kernel drops the lock when the process ends, however it ends, so a killed run
/// never leaves a stale lock behind; the file itself stays (it is empty of meaning without the lock).
public final class RunLock {
    private let descriptor: Int32

    /// Takes the lock of `run`'s folder, creating the folder when needed.
    /// - Throws: a sentence naming the folder and the process holding it when another writer is at work, or
    ///   when the folder cannot be created or written (a read-only disk, a file in the way).
    public init(_ run: RunDirectory) throws {
        do {
            try FileManager.default.createDirectory(at: run.url, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError("cannot create the run folder \(run.url.path): \(error.localizedDescription)")
        }
        let path = run.lockFile.path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ConfigurationError("cannot write in \(run.url.path) (creating \(run.lockFile.lastPathComponent): "
                + "\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(descriptor)
            throw ConfigurationError("\(run.url.path) is in use by another simvae process"
                + (holder.isEmpty ? "" : " (pid \(holder))") + "; wait for it to finish, or stop it first")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
        run.removeStaleTemporaryFiles()
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension RunDirectory {
    /// The file `RunLock` locks.
    var lockFile: URL { url.appendingPathComponent(".lock") }

    /// Deletes the temporary files of atomic writes that a killed process left behind (`.name.pid.uuid.tmp`);
    /// only the lock holder may call it, since a live writer's temporary file looks the same.
    func removeStaleTemporaryFiles() {
        let manager = FileManager.default
        for folder in [url, checkpoint.deletingLastPathComponent(), images] {
            guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
                try? manager.removeItem(at: folder.appendingPathComponent(name))
            }
        }
    }
}
