import CTorch
import Foundation

/// Process-wide libtorch settings and information.
public enum Runtime {
    /// Intra-op threads libtorch uses for one operation. Setting a count outside
    /// `1...maximumThreadCount` is a programming error (it traps); a count from a user goes through
    /// `setThreadCount(_:)`, which throws instead.
    public static var threadCount: Int {
        get { Int(ct_get_num_threads()) }
        set {
            do {
                try setThreadCount(newValue)
            } catch {
                preconditionFailure("\(error)")
            }
        }
    }

    /// The most intra-op threads `setThreadCount(_:)` accepts: 1 024, above the cores of any machine this runs
    /// on, and low enough for libtorch to start its threads at once (a million made it hang creating them;
    /// beyond `Int32` it aborted).
    public static let maximumThreadCount = 1_024

    /// Sets the number of intra-op threads libtorch uses for one operation.
    /// - Throws: a `TorchError` naming the accepted range for a count below 1 or above `maximumThreadCount`,
    ///   or libtorch's message if it refuses the count.
    public static func setThreadCount(_ count: Int) throws {
        guard (1...maximumThreadCount).contains(count) else {
            throw TorchError("the thread count must be between 1 and \(maximumThreadCount), not \(count)")
        }
        guard ct_set_num_threads(Int32(count)) == 0 else { throw TorchError.last("setting \(count) threads") }
    }

    /// Runs `body` with `count` intra-op threads, then restores the previous count.
    ///
    /// Loops of many small operations (probe training on mini-batches of a few hundred rows) run faster on one
    /// thread: a parallel kernel has to wake its sleeping OpenMP workers every time, which costs more than the work.
    public static func withThreadCount<Result>(_ count: Int, _ body: () throws -> Result) rethrows -> Result {
        let previous = threadCount
        threadCount = count
        defer { threadCount = previous }
        return try body()
    }

    /// Cores this process may run on.
    public static var availableCores: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Seeds libtorch's generators (CPU and, when present, CUDA): same seed, same random numbers.
    public static func seed(_ seed: UInt64) {
        ct_manual_seed(seed)
        if Device.isCUDAAvailable { ct_cuda_manual_seed_all(seed) }
    }

    /// The CPU generator's full state, to save with a checkpoint.
    public static func generatorState() -> Tensor {
        Tensor(handle: FailureScope.handle("the random generator state") { ct_cpu_rng_state() })
    }

    /// Restores a state returned by `generatorState()`.
    public static func restoreGeneratorState(_ state: Tensor) throws {
        guard ct_set_cpu_rng_state(state.handle) == 0 else {
            throw TorchError.last("restoring the random generator state")
        }
    }

    /// The version of the libtorch headers this binary was compiled against, e.g. "1.13.0".
    public static var version: String { String(cString: ct_version()) }

    /// The CUDA runtime this libtorch was built with, e.g. "12.4"; nil when it has no CUDA.
    public static var cudaVersion: String? {
        let version = Int(ct_cuda_runtime_version())
        return version > 0 ? CUDAVersion.text(ofRuntime: version) : nil
    }

    /// The cuDNN this libtorch was built with, e.g. "9.1.0"; nil when it has none.
    public static var cuDNNVersion: String? {
        let version = Int(ct_cudnn_version())
        return version > 0 ? CUDAVersion.text(ofCuDNN: version) : nil
    }

    /// libtorch's build configuration (compiler, BLAS, LAPACK, OpenMP, CUDA).
    public static var buildConfiguration: String { takeString(ct_build_config()) }

    /// libtorch's threading configuration.
    public static var parallelInfo: String { takeString(ct_parallel_info()) }

    private static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return TorchError.last().message }
        defer { ct_free(pointer) }
        return String(cString: pointer)
    }
}
