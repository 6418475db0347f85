import CTorch
import Foundation

/// An error reported by libtorch or by this module, carrying a sentence for the user.
public struct TorchError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in libtorch's words or ours.
    public let message: String

    /// Creates an error carrying `message`.
    public init(_ message: String) { self.message = message }

    /// The message, except for running out of memory: then a sentence saying how much libtorch asked for
    /// (`message` keeps libtorch's words).
    public var description: String {
        guard isOutOfMemory else { return message }
        let place = message.contains("CUDA") ? " on the GPU" : ""
        guard let bytes = requestedBytes else { return "out of memory\(place): \(message)" }
        return "out of memory\(place): libtorch asked for \(TorchError.readable(bytes: bytes)) (\(bytes) bytes) "
            + "in one allocation, more than could be provided"
    }

    /// Whether libtorch ran out of memory: its CPU allocator ("can't allocate memory"), CUDA's caching allocator
    /// ("CUDA out of memory") or a C++ allocation (`std::bad_alloc`) failed.
    public var isOutOfMemory: Bool {
        ["can't allocate memory", "CUDA out of memory", "std::bad_alloc"].contains { message.contains($0) }
    }

    /// The size in bytes of the allocation that failed, when libtorch's message says (the CUDA allocator
    /// gives it rounded, as "20.00 MiB").
    public var requestedBytes: Int? {
        if let match = message.firstMatch(of: #/you tried to allocate (\d+) bytes/#) { return Int(match.1) }
        guard let match = message.firstMatch(of: #/Tried to allocate (\d+(?:\.\d+)?) (bytes|[KMGTPE]iB)/#),
              let value = Double(match.1), let exponent = TorchError.byteUnits.firstIndex(of: String(match.2))
        else { return nil }
        let bytes = (value * Foundation.pow(1024, Double(exponent))).rounded()
        return bytes < 0x1p63 ? Int(bytes) : nil
    }

    private static let byteUnits = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]

    /// `bytes` in the largest binary unit that keeps the number at least 1, with one decimal: "372.5 GiB".
    private static func readable(bytes: Int) -> String {
        var (value, unit) = (Double(bytes), 0)
        while value >= 1024 && unit < byteUnits.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) bytes" : String(format: "%.1f ", value) + byteUnits[unit]
    }

    /// The message of the shim's last failed call on this thread.
    static func last(_ context: @autoclosure () -> String = "") -> TorchError {
        let detail = ct_last_error().map { String(cString: $0) } ?? "unknown libtorch failure"
        ct_clear_error()
        let prefix = context()
        return TorchError(prefix.isEmpty ? detail : "\(prefix): \(detail)")
    }
}
