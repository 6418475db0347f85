import CTorch
import Foundation

/// Decides what a failing libtorch call does.
///
/// Outside `Tensor.checking { }` a failure is a programming error, like an out-of-range array index: it goes to
/// `Tensor.uncheckedFailureHandler`, or traps with libtorch's message when no handler is installed.
///
/// Inside a scope the first failure is remembered and the scope has *failed*. From then on until the scope ends
/// nothing reaches libtorch: operators return a placeholder tensor, data accessors return harmless values (see
/// `Tensor.checking`), so a whole computation runs to the end of the scope, which then throws the failure.
///
/// Scopes are per thread: a failure on one thread never affects another thread's scopes.
enum FailureScope {
    /// The open scopes of one thread, innermost last, each with the first failure seen in it.
    private final class Stack {
        var failures: [TorchError?] = []
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// This thread's stack, created on first use (a thread that never opens a scope never allocates one).
    private static func stack(creating: Bool) -> Stack? {
        if let raw = pthread_getspecific(key) { return Unmanaged<Stack>.fromOpaque(raw).takeUnretainedValue() }
        guard creating else { return nil }
        let stack = Stack()
        pthread_setspecific(key, Unmanaged.passRetained(stack).toOpaque())
        return stack
    }

    /// The first failure of this thread's innermost scope, once that scope has failed.
    static var failure: TorchError? { stack(creating: false)?.failures.last ?? nil }

    /// Reports a failed libtorch call: it fails the innermost scope (keeping that scope's first failure), or,
    /// outside any scope, goes to the unchecked-failure handler, or traps.
    static func record(_ error: any Error) {
        let error = error as? TorchError ?? TorchError("\(error)")
        guard let stack = stack(creating: false), let innermost = stack.failures.indices.last else {
            UncheckedFailure.handler?(error)
            preconditionFailure("libtorch: \(error.message)")
        }
        if stack.failures[innermost] == nil { stack.failures[innermost] = error }
    }

    /// Records `error` (an operator's failure) and returns a placeholder for the tensor it did not make.
    static func fail(_ error: any Error) -> Tensor {
        record(error)
        return Tensor(handle: placeholderHandle())
    }

    /// The handle `make` returns, for a shim call that returns nil on failure; in a failed scope, or when the call
    /// fails (which is recorded), a placeholder's handle instead.
    static func handle(_ context: @autoclosure () -> String, _ make: () -> ct_tensor?) -> ct_tensor {
        guard failure == nil else { return placeholderHandle() }
        if let handle = make() { return handle }
        record(TorchError.last(context()))
        return placeholderHandle()
    }

    /// Runs `call`, a shim call that returns a nonzero status on failure, and records its failure; in a failed
    /// scope it does not run.
    static func perform(_ context: @autoclosure () -> String, _ call: () -> Int32) {
        guard failure == nil else { return }
        if call() != 0 { record(TorchError.last(context())) }
    }

    /// `pieces` made up to `count` with placeholders when this thread's scope has failed: a failed call returns one
    /// placeholder whatever the operator returns, and code indexing the pieces it asked for must not trap.
    static func padded(_ pieces: [Tensor], to count: Int) -> [Tensor] {
        guard pieces.count < count, failure != nil else { return pieces }
        return pieces + (pieces.count..<count).map { _ in Tensor(handle: placeholderHandle()) }
    }

    /// A new empty float32 tensor standing in for the result of a failed operation. Made without any operator
    /// (which would be skipped in a failed scope); a zero-element tensor needs no memory, so this cannot fail.
    private static func placeholderHandle() -> ct_tensor {
        var size: Int64 = 0
        return ct_tensor_from_data(nil, &size, 1, DType.float32.rawValue)!
    }

    /// Runs `body` in a new scope of this thread and throws the scope's first failure, if any, once it returns
    /// or throws. A scope opened inside a failed one starts failed with the same failure: its computations are
    /// skipped too, so it must not report success.
    static func run<R>(_ body: () throws -> R) throws -> R {
        let stack = stack(creating: true)!
        stack.failures.append(failure)
        defer { stack.failures.removeLast() }
        let result: R
        do {
            result = try body()
        } catch {
            // A libtorch failure is the cause of whatever the body then threw (such as a check on a placeholder).
            throw stack.failures.last! ?? error
        }
        if let failure = stack.failures.last! { throw failure }
        return result
    }
}

/// The process-wide handler of failures outside any scope.
private enum UncheckedFailure {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var storedHandler: (@Sendable (TorchError) -> Never)?

    static var handler: (@Sendable (TorchError) -> Never)? {
        get { lock.withLock { storedHandler } }
        set { lock.withLock { storedHandler = newValue } }
    }
}

extension Tensor {
    /// Runs tensor code whose libtorch failures should be errors rather than traps, and throws the first
    /// failure as a `TorchError` carrying libtorch's message.
    ///
    ///     let product = try Tensor.checking { a.matmul(b) }
    ///
    /// A scope can wrap a whole computation (building a model, a training step). After its first failure the
    /// scope has failed and nothing more reaches libtorch until it ends; instead:
    /// - operators and tensor creation return a placeholder (an empty float32 tensor), and `backward()`,
    ///   `requiresGrad` and `grad` changes do nothing;
    /// - `item` is NaN, `scalars(as:)` is zeros (as many as the tensor has elements), `size(_:)` of a dimension
    ///   the tensor lacks is 0, and `withUnsafeMutableBytes` throws the failure without running its body.
    ///
    /// If `body` throws after a failure (say, a check on a placeholder's value), the libtorch failure is thrown,
    /// as it is the cause. Scopes nest: an inner scope's failure fails only the inner scope, and a scope opened in
    /// a failed one starts failed. Scopes belong to the thread that opens them; work handed to other threads
    /// needs its own scope there.
    public static func checking<R>(_ body: () throws -> R) throws -> R {
        try FailureScope.run(body)
    }

    /// What a libtorch failure outside `Tensor.checking { }` does. With no handler (the default) it traps with
    /// libtorch's message, as a programming error. An application can install a handler that reports the error
    /// and ends the process instead, such as a command-line tool printing one sentence and exiting with status 1:
    ///
    ///     Tensor.uncheckedFailureHandler = { error in
    ///         FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    ///         exit(1)
    ///     }
    ///
    /// The handler may be called on any thread, and must not return: the failed call has no result to go on with.
    public static var uncheckedFailureHandler: (@Sendable (TorchError) -> Never)? {
        get { UncheckedFailure.handler }
        set { UncheckedFailure.handler = newValue }
    }
}
