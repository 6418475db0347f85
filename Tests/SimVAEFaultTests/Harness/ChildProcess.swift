import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The release binary the suite drives, `.build/release/simvae` next to this package, or `$SIMVAE_BINARY`
/// (`make test-libtorch2` drives the one built against another libtorch).
enum ReleaseBinary {
    static let packageRoot: URL = {
        var folder = URL(fileURLWithPath: #filePath)
        while folder.path != "/"
            && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            folder.deleteLastPathComponent()
        }
        return folder
    }()

    static let path = ProcessInfo.processInfo.environment["SIMVAE_BINARY"].flatMap { $0.isEmpty ? nil : $0 }
        ?? packageRoot.appendingPathComponent(".build/release/simvae").path

    /// The binary's path; throws (failing the calling test) when it has not been built.
    static func require() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("\(path) is missing: build it with `swift build -c release --product simvae` "
                + "(`make test` and `make fuzz` do)")
        }
        return path
    }
}

/// A failure of the harness itself (a fixture that cannot be built), as opposed to a finding about the binary.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How a child process ended.
enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// Still running at its time limit; it was killed (with its process group).
    case timedOut(seconds: Double)

    var description: String {
        switch self {
        case .exited(let status): "exit \(status)"
        case .signaled(let signal): "killed by signal \(signal) (\(Termination.signalName(signal)))"
        case .timedOut(let seconds): String(format: "still running after %.0f s (killed)", seconds)
        }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
                                      SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGINT: "SIGINT",
                                      SIGTRAP: "SIGTRAP"]
        return names[signal] ?? "signal \(signal)"
    }
}

/// What a finished child left: how it ended, its output and how long it ran.
struct ChildResult: Sendable {
    var termination: Termination
    var stdout: String
    var stderr: String
    var seconds: Double

    /// The last `count` non-empty lines of standard error, joined with " ⏎ "; for a crash with a Swift backtrace,
    /// the lines before it, the failure and the innermost frames of the project's code instead.
    func stderrTail(_ count: Int = 3) -> String {
        let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var chosen = Array(lines.suffix(count))
        // A message followed by libtorch's C++ backtrace: the message.
        if let message = lines.last(where: { $0.hasPrefix("error:") || $0.hasPrefix("Error:") }),
           !chosen.contains(message) {
            chosen = [String(message.prefix(400))] + chosen.suffix(1)
        }
        if let start = lines.firstIndex(where: { $0.hasPrefix("*** Signal") }) {
            let failure = lines.first { $0.hasPrefix("*** Swift runtime failure") || $0.hasPrefix("Fatal error") }
            let frames = lines[start...].filter { $0.contains(" in simvae at /") && !$0.contains("<compiler-generated>") }
                .prefix(4).map { line in
                    line.split(separator: " ").drop { !$0.contains("+") && !$0.contains("(") }.joined(separator: " ")
                }
            chosen = lines[..<start].suffix(1) + [lines[start]] + (failure.map { [$0] } ?? []) + frames
        }
        let tail = chosen.joined(separator: " ⏎ ")
        return tail.count > 600 ? String(tail.prefix(600)) + "…" : tail
    }
}

/// A `simvae` child in its own process group (so a hang, or children it started, can be killed as a whole), with
/// standard output and error going to files in its case folder.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    let arguments: [String]
    private let stdoutPath: String, stderrPath: String
    private let started = Date()

    /// The environment every child gets: the binary's preferred OpenMP and malloc settings (set here, so it does
    /// not re-execute itself) and no `$SIMVAE_DATA` (fixtures name their data explicitly).
    static let environment: [String] = {
        var variables = ProcessInfo.processInfo.environment
        variables["OMP_WAIT_POLICY"] = "PASSIVE"
        variables["GOMP_SPINCOUNT"] = "10000"
        variables["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1"
        variables["SIMVAE_FAST_ENVIRONMENT"] = "1"
        variables["SIMVAE_DATA"] = nil
        return variables.map { "\($0.key)=\($0.value)" }
    }()

    /// Starts `binary arguments` in `folder` (its working directory), with `environment`'s variables added;
    /// output goes to `<folder>/.stdout|.stderr` unless `outputName` names other files.
    init(_ binary: String, _ arguments: [String], in folder: String, outputName: String = "",
         environment: [String: String] = [:]) throws {
        self.arguments = arguments
        stdoutPath = (folder as NSString).appendingPathComponent(".stdout\(outputName)")
        stderrPath = (folder as NSString).appendingPathComponent(".stderr\(outputName)")
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard ChildProcess.addChangeDirectory(&actions, folder) == 0 else {
            throw HarnessError("cannot make the child start in \(folder)")
        }
        posix_spawnattr_setpgroup(&attributes, 0)
        // A test runner may ignore or block signals; the child starts with the defaults.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let added = environment.map { "\($0.key)=\($0.value)" }
        let envp = (ChildProcess.environment.filter { line in !environment.keys.contains { line.hasPrefix("\($0)=") } }
            + added).map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw HarnessError("cannot start \(binary): \(String(cString: strerror(status)))")
        }
        pid = child
        // Set right after the start, while the child is still in the dynamic loader.
        var limit = rlimit(rlim_cur: rlim_t(ChildProcess.memoryLimit), rlim_max: rlim_t(ChildProcess.memoryLimit))
        _ = ChildProcess.setLimit(child, Int32(RLIMIT_AS.rawValue), &limit, nil)
    }

    /// A glibc function Swift's Glibc module does not export.
    private static func glibc<Function>(_ name: String, as type: Function.Type) -> Function {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("this C library lacks \(name) (glibc 2.29 or later is needed)")
        }
        return unsafeBitCast(symbol, to: type)
    }

    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>,
                                                           UnsafePointer<CChar>) -> Int32
    nonisolated(unsafe) private static let addChangeDirectory =
        glibc("posix_spawn_file_actions_addchdir_np", as: AddChangeDirectory.self)
    private typealias ResourceLimit = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?,
                                                      UnsafeMutablePointer<rlimit>?) -> Int32
    nonisolated(unsafe) private static let setLimit = glibc("prlimit", as: ResourceLimit.self)

    /// The address space a child may use (`$SIMVAE_FUZZ_MEMORY_GB`, default 6 GiB): a flag such as `--zdim 1000000`
    /// then fails to allocate instead of taking the shared machine's memory (or a million thread stacks).
    static let memoryLimit: UInt64 = {
        let gigabytes = Double(ProcessInfo.processInfo.environment["SIMVAE_FUZZ_MEMORY_GB"] ?? "") ?? 6
        return UInt64(gigabytes * 1_073_741_824)
    }()

    /// Seconds since the start.
    var elapsed: Double { Date().timeIntervalSince(started) }

    /// Whether it has ended, reaping it if so.
    private var reaped: Int32?
    func poll() -> Int32? {
        if let reaped { return reaped }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { reaped = status }
        return reaped
    }

    /// Sends `signal` to the child only (not its group).
    func send(_ signal: Int32) { if poll() == nil { kill(pid, signal) } }

    /// Kills the child's whole process group (children it started included).
    func killGroup() { kill(-pid, SIGKILL) }

    /// Waits until it ends or `timeout` seconds have passed since its start (then kills its group), then kills any
    /// process it left in its group (unless `leavingGroup`) and returns the outcome.
    func wait(timeout: Double, leavingGroup: Bool = false) -> ChildResult {
        var termination: Termination?
        while termination == nil {
            if let status = poll() {
                termination = ChildProcess.decode(status)
            } else if elapsed > timeout {
                killGroup()
                while poll() == nil { usleep(2_000) }
                termination = .timedOut(seconds: timeout)
            } else {
                usleep(elapsed < 1 ? 5_000 : 20_000)
            }
        }
        let seconds = elapsed
        if !leavingGroup { killGroup() }
        return ChildResult(termination: termination!, stdout: ChildProcess.text(stdoutPath),
                           stderr: ChildProcess.text(stderrPath), seconds: seconds)
    }

    private static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
    }

    private static func text(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(64 * 1024), as: UTF8.self)
    }

    /// Runs `binary arguments` in `folder` to completion (or `timeout`).
    static func run(_ binary: String, _ arguments: [String], in folder: String, timeout: Double,
                    outputName: String = "") throws -> ChildResult {
        try ChildProcess(binary, arguments, in: folder, outputName: outputName).wait(timeout: timeout)
    }
}

/// Per-case time limits, scaled by `$SIMVAE_FUZZ_TIME_SCALE` on slow machines.
enum TimeLimit {
    static let scale = Double(ProcessInfo.processInfo.environment["SIMVAE_FUZZ_TIME_SCALE"] ?? "") ?? 1
    /// A command that loads a run or a dataset and does a little work.
    static var quick: Double { 15 * scale }
    /// A command that trains (a few steps of a tiny model, about a second).
    static var training: Double { 30 * scale }
    /// A command that trains a ResNet or a 64×64 MLP, or runs several processes.
    static var heavy: Double { 120 * scale }
}
