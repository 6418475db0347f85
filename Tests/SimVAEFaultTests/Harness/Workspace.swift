import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The scratch area of one test process: in memory (`/dev/shm`) where there is one, so the many checkpoint copies
/// cost no disk writes; removed at exit unless `$SIMVAE_FUZZ_KEEP` is set.
enum Workspace {
    static let keep = ProcessInfo.processInfo.environment["SIMVAE_FUZZ_KEEP"].map { !$0.isEmpty && $0 != "0" } ?? false

    static let root: String = {
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm"
            : FileManager.default.temporaryDirectory.path
        let root = "\(base)/simvae-faults-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if !keep { atexit { try? FileManager.default.removeItem(atPath: Workspace.root) } }
        return root
    }()

    /// A fresh, empty folder `root/name`.
    static func folder(_ name: String) throws -> String {
        let path = (root as NSString).appendingPathComponent(name)
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Removes a case folder (kept with `$SIMVAE_FUZZ_KEEP`).
    static func discard(_ path: String) {
        if !keep { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Small file helpers that throw sentences naming the file.
enum Files {
    static func write(_ bytes: [UInt8], to path: String) throws {
        try write(Data(bytes), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw HarnessError("cannot write \(path)")
        }
    }

    static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw HarnessError("cannot read \(path)") }
        return data
    }

    /// Copies a folder tree; large files (checkpoints) are hard-linked, since the binary replaces them by rename.
    static func copyTree(_ source: String, to destination: String, linkingAbove threshold: Int = 1 << 20) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: destination, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: source) {
            let from = (source as NSString).appendingPathComponent(name)
            let to = (destination as NSString).appendingPathComponent(name)
            var isFolder: ObjCBool = false
            _ = manager.fileExists(atPath: from, isDirectory: &isFolder)
            if isFolder.boolValue {
                try copyTree(from, to: to, linkingAbove: threshold)
            } else if let size = (try? manager.attributesOfItem(atPath: from)[.size] as? Int) ?? nil,
                      size > threshold, link(from, to) == 0 {
                continue
            } else {
                try manager.copyItem(atPath: from, toPath: to)
            }
        }
    }

    /// Every file below `folder` whose name ends in `.tmp`.
    static func temporaryFiles(below folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".tmp") }
    }
}
