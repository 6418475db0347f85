import Foundation

/// This process's memory use, from `/proc/self/status` (Linux; nil elsewhere).
public enum ResidentMemory {
    /// Current resident set size in bytes.
    public static var current: Int? { field("VmRSS") }
    /// Peak resident set size in bytes.
    public static var peak: Int? { field("VmHWM") }

    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
