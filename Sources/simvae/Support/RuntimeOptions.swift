import ArgumentParser
import Torch

/// Options every compute command shares.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Intra-op threads for libtorch (default: all active cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads).") }
    }

    /// Applies the thread count; call first in `run()`.
    func apply() {
        Runtime.threadCount = threads ?? Runtime.availableCores
    }
}
