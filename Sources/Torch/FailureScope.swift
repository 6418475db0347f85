import Foundation

/// Decides what a failing tensor operation does: trap with libtorch's message (the default: a failing
/// operation is a programming error, like an out-of-range array index), or, inside `Tensor.checking { }`,
/// remember the first failure and throw it when the scope ends.
enum FailureScope {
    /// Per-thread stack of open `checking` scopes; each holds the first failure seen in it.
    private final class Frame { var failure: String? }
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    private static var frames: [Frame] {
        get {
            guard let raw = pthread_getspecific(key) else { return [] }
            return Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue().frames
        }
        set {
            if let raw = pthread_getspecific(key) {
                Unmanaged<Box>.fromOpaque(raw).takeUnretainedValue().frames = newValue
            } else {
                pthread_setspecific(key, Unmanaged.passRetained(Box(newValue)).toOpaque())
            }
        }
    }
    private final class Box {
        var frames: [Frame]
        init(_ frames: [Frame]) { self.frames = frames }
    }

    /// Records a failure inside a checking scope (returning a placeholder tensor), or traps outside one.
    static func fail(_ message: String) -> Tensor {
        guard let frame = frames.last else {
            preconditionFailure("libtorch: \(message)")
        }
        if frame.failure == nil { frame.failure = message }
        return Tensor.placeholder
    }

    static func run<R>(_ body: () throws -> R) throws -> R {
        let frame = Frame()
        frames.append(frame)
        defer { frames.removeLast() }
        let result = try body()
        if let failure = frame.failure { throw TorchError(failure) }
        return result
    }
}

extension Tensor {
    /// Runs tensor code whose failures should be errors rather than traps: the first libtorch failure inside
    /// `body` (a shape mismatch, a bad dtype) is thrown as a `TorchError` carrying libtorch's message once
    /// `body` returns.
    ///
    ///     let product = try Tensor.checking { a.matmul(b) }
    public static func checking<R>(_ body: () throws -> R) throws -> R {
        try FailureScope.run(body)
    }

    /// A tiny tensor standing in for the result of a failed operation inside `checking`.
    static var placeholder: Tensor { Tensor(zeros: [0]) }
}
