import CTorch

/// An error reported by libtorch or by this module, carrying a sentence for the user.
public struct TorchError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, in libtorch's words or ours.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// The message of the shim's last failed call on this thread.
    static func last(_ context: @autoclosure () -> String = "") -> TorchError {
        let detail = ct_last_error().map { String(cString: $0) } ?? "unknown libtorch failure"
        ct_clear_error()
        let prefix = context()
        return TorchError(prefix.isEmpty ? detail : "\(prefix): \(detail)")
    }
}
