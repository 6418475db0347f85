import Foundation

/// Keeps OpenMP threads from spinning while libtorch's other threads need the cores.
///
/// libtorch and OpenBLAS share GNU OpenMP (libgomp), whose idle threads busy-wait for a while after each parallel
/// region. On a small machine that spinning steals the cores from the next operation: measured here, the same
/// training step ran 2.5× slower. `OMP_WAIT_POLICY=PASSIVE` makes idle threads sleep, but libgomp reads it when
/// it is loaded, before `main`, so the process re-executes itself once with the variable set. A user who sets
/// the variable (to anything) keeps their choice.
enum FastOpenMP {
    static let variable = "OMP_WAIT_POLICY"

    static func ensurePassiveWaiting() {
        guard getenv(variable) == nil else { return }
        setenv(variable, "PASSIVE", 1)
        // On success execv does not return; if it fails, carry on with the slower default.
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
