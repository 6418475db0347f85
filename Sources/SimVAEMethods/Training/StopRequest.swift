import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM as a request to stop training at the next safe point (between two steps, never
/// inside a checkpoint write) instead of killing the process. A second signal ends the process at once: the
/// checkpoint on disk is always whole, since it is replaced atomically.
public enum StopRequest {
    private static let signalNumber = Atomic<Int32>(0)

    /// Installs the handlers for SIGINT and SIGTERM (once per process).
    public static func install() {
        _ = signalNumber.load(ordering: .relaxed)
        for signal in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { StopRequest.request(signal: $0) }
            action.sa_flags = Int32(bitPattern: UInt32(SA_RESETHAND))
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// Records a stop request as the signal handler does (for tests, and to clear it with 0).
    static func request(signal: Int32) { signalNumber.store(signal, ordering: .relaxed) }

    /// The signal that asked to stop, if one did.
    public static var pendingSignal: Int32? {
        let number = signalNumber.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}

/// Training stopped by a signal at a safe point; the last checkpoint on disk is whole.
public struct TrainingInterrupted: Error, CustomStringConvertible, Sendable {
    /// The signal received (SIGINT or SIGTERM).
    public let signal: Int32
    /// Where training stood: completed steps, and the epoch of the last checkpoint.
    public let step: Int, checkpointEpoch: Int

    /// Which signal stopped training after which step, and which checkpoint is kept.
    public var description: String {
        let name = signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let kept = checkpointEpoch > 0 ? "the last checkpoint (epoch \(checkpointEpoch)) is kept"
            : "no epoch had finished, so there is no checkpoint yet"
        return "stopped by \(name) after step \(step); \(kept)"
    }
}
