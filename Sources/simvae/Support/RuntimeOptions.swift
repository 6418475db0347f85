import ArgumentParser
import Torch

/// Options every compute command shares.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Intra-op threads for libtorch (default: all active cores; at most \(RuntimeOptions.maximumThreads)).")
    var threads: Int?

    /// The most threads accepted (libtorch would try to start a million threads if asked).
    static let maximumThreads = Runtime.maximumThreadCount

    func validate() throws {
        if let threads, !(1...RuntimeOptions.maximumThreads).contains(threads) {
            throw ValidationError("--threads must be between 1 and \(RuntimeOptions.maximumThreads), got \(threads).")
        }
    }

    /// Applies the thread count; call first in `run()`.
    func apply() throws {
        do {
            try Runtime.setThreadCount(threads ?? Swift.min(Runtime.availableCores, Runtime.maximumThreadCount))
        } catch {
            throw ValidationError("--threads: \(error)")
        }
    }
}
