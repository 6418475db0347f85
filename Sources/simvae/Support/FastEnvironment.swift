import Foundation

/// Sets, for this process, the environment the training step runs fastest in: libgomp's waiting and glibc's
/// transparent huge pages. Both libraries read their variables when they load, before `main`, so the process
/// re-executes itself once with them set. A variable the user has set (to anything) is left alone. A marker
/// variable makes sure it happens only once: the loader drops `GLIBC_TUNABLES` from set-user-ID or capability-
/// carrying processes, so checking the variables alone could re-execute forever.
///
/// **OpenMP waiting.** libtorch and OpenBLAS share GNU OpenMP (libgomp). By default its idle threads busy-wait for
/// about 3 ms after each parallel region, which on a small machine steals the cores from the next operation (the
/// issue measured the same PyTorch step 2.5× slower). Sleeping at once (`OMP_WAIT_POLICY=PASSIVE`) costs a futex
/// wake-up before every parallel operation instead. A spin of 10 000 iterations (about 0.1 ms) bridges the gaps
/// between the operations of a training step and still sleeps through anything longer; measured here (`simvae
/// bench`, 6 alternating runs each, medians), it made the training step 8–15 % faster and end-to-end training
/// 8–17 % faster than PASSIVE alone, while libgomp's default spin made end-to-end training slower. A user who sets
/// `OMP_WAIT_POLICY` gets no spin count from here either.
///
/// **Huge pages.** `glibc.malloc.hugetlb=1` makes malloc ask for transparent huge pages (glibc 2.35 and later; older
/// ones ignore it), so the megabytes of weights, gradients and Adam moments a step streams through take far fewer
/// TLB entries. The step ran faster in each of 11 alternating pairs of `simvae bench` runs (by 1–5 %, median
/// about 2 %); resident memory stayed in the same range.
enum FastEnvironment {
    static let policyVariable = "OMP_WAIT_POLICY"
    static let spinVariable = "GOMP_SPINCOUNT"
    static let tunablesVariable = "GLIBC_TUNABLES"
    static let spinCount = "10000"
    static let hugePages = "glibc.malloc.hugetlb=1"
    static let markerVariable = "SIMVAE_FAST_ENVIRONMENT"

    /// Re-executes the process with the variables set, unless each is already set or this process already is
    /// the re-executed one.
    static func reexecuteWithFastSettingsIfNeeded() {
        guard getenv(markerVariable) == nil else { return }
        setenv(markerVariable, "1", 1)
        var changed = false
        if getenv(policyVariable) == nil {
            setenv(policyVariable, "PASSIVE", 1)
            setenv(spinVariable, spinCount, 0)
            changed = true
        }
        if getenv(tunablesVariable) == nil {
            setenv(tunablesVariable, hugePages, 1)
            changed = true
        }
        // On success execv does not return; if it fails, carry on with the slower defaults.
        if changed { execv("/proc/self/exe", CommandLine.unsafeArgv) }
    }

    /// The settings in effect, for `simvae doctor`, with the kernel's transparent-huge-page mode (malloc's
    /// request does nothing when it is `never`).
    static var description: String {
        let environment = ProcessInfo.processInfo.environment
        let settings = [policyVariable, spinVariable, tunablesVariable]
            .map { "\($0)=\(environment[$0] ?? "unset")" }.joined(separator: ", ")
        let modes = try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
        // The file lists every mode and brackets the one in force: "always [madvise] never".
        let mode = modes.flatMap { $0.split(separator: "[").dropFirst().first?.split(separator: "]").first }
        return settings + "; transparent huge pages: \(mode.map(String.init) ?? "unknown")"
    }
}
