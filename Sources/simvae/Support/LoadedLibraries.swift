import Foundation

/// The shared libraries mapped into this process, read from `/proc/self/maps` (Linux).
enum LoadedLibraries {
    /// Paths of loaded libraries whose file name contains `fragment`.
    static func paths(containing fragment: String) -> [String] {
        // /proc files report size 0, so read to the end instead of trusting the size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps"),
              let bytes = try? handle.readToEnd() else { return [] }
        let maps = String(decoding: bytes, as: UTF8.self)
        var seen: [String] = []
        for line in maps.split(separator: "\n") {
            guard let path = line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init),
                  path.hasPrefix("/"), (path as NSString).lastPathComponent.contains(fragment),
                  !seen.contains(path)
            else { continue }
            seen.append(path)
        }
        return seen
    }
}
