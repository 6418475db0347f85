import Foundation

/// Where the libtorch this process runs on came from, judged by the folder its `libtorch_cpu` was loaded from.
enum LibTorchOrigin {
    /// "Python torch 2.15.0+cu132 at …/site-packages/torch", "Debian's libtorch package" or "the LIBTORCH prefix …",
    /// followed by the loaded library's path.
    static var description: String {
        guard let loaded = LoadedLibraries.paths(containing: "libtorch_cpu").first else {
            return "libtorch_cpu is not in the process maps"
        }
        let library = URL(fileURLWithPath: loaded).resolvingSymlinksInPath()
        let libFolder = library.deletingLastPathComponent()
        let prefix = libFolder.deletingLastPathComponent()
        let origin: String
        if let version = pythonTorchVersion(at: prefix) {
            origin = "Python torch \(version) at \(prefix.path)"
        } else if libFolder.path.hasPrefix("/usr/lib") {
            let debian = FileManager.default.fileExists(atPath: "/etc/debian_version")
            origin = debian ? "Debian's libtorch package" : "the system's libtorch"
        } else {
            origin = "the LIBTORCH prefix \(prefix.path)"
        }
        return "\(origin); loaded \(library.path)"
    }

    /// The `__version__` of the Python `torch` package whose folder is `folder`, or nil when it is none.
    private static func pythonTorchVersion(at folder: URL) -> String? {
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("__init__.py").path),
              let text = try? String(contentsOf: folder.appendingPathComponent("version.py"), encoding: .utf8),
              let match = text.firstMatch(of: #/__version__\s*=\s*['"]([^'"]+)['"]/#)
        else { return nil }
        return String(match.1)
    }
}
