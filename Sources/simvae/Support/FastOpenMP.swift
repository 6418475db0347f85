import Foundation

/// Sets libgomp's waiting for this process: idle OpenMP threads spin briefly, then sleep.
///
/// libtorch and OpenBLAS share GNU OpenMP (libgomp). By default its idle threads busy-wait for about 3 ms after
/// each parallel region, which on a small machine steals the cores from the next operation (the issue measured the
/// same PyTorch step 2.5× slower). Sleeping at once (`OMP_WAIT_POLICY=PASSIVE`) costs a futex wake-up before every
/// parallel operation instead. A spin of 10 000 iterations (about 0.1 ms) bridges the gaps between the operations
/// of a training step and still sleeps through anything longer; measured here (`simvae bench`, 6 alternating runs
/// each, medians), it made the training step 8–15 % faster and end-to-end training 8–17 % faster than PASSIVE
/// alone, while libgomp's default spin made end-to-end training slower.
///
/// libgomp reads both variables when it loads, before `main`, so the process re-executes itself once with them
/// set. A user who sets `OMP_WAIT_POLICY` (to anything) keeps their choice and gets no spin count from here.
enum FastOpenMP {
    static let policyVariable = "OMP_WAIT_POLICY"
    static let spinVariable = "GOMP_SPINCOUNT"
    static let spinCount = "10000"

    static func ensureShortSpinning() {
        guard getenv(policyVariable) == nil else { return }
        setenv(policyVariable, "PASSIVE", 1)
        setenv(spinVariable, spinCount, 0)
        // On success execv does not return; if it fails, carry on with the slower default.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }

    /// The settings in effect, for `simvae doctor`.
    static var description: String {
        let environment = ProcessInfo.processInfo.environment
        return "OMP_WAIT_POLICY=\(environment[policyVariable] ?? "unset"), "
            + "GOMP_SPINCOUNT=\(environment[spinVariable] ?? "unset")"
    }
}
