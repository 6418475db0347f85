import Foundation
import SimVAEData
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Faults during training: kill -9 at seeded moments (checkpoint writes included), SIGINT and SIGTERM, two
/// writers on one run folder, and `experiment` stopped with its children running. Every interrupted run must resume
/// to the uninterrupted run's exact end state and leave no temporary files.
@Suite(.serialized) struct InterruptionTests {
    /// A fault scenario's failures, printed one per line and recorded as test issues.
    static func report(_ failures: [String], _ label: String) {
        for failure in failures { print("fault FAIL \(label): \(failure)") }
        #expect(failures.isEmpty, "\(failures.count) \(label) scenario(s) failed: \(failures.joined(separator: " | "))")
    }

    /// How a kill -9 is timed.
    enum Moment: CustomStringConvertible {
        /// At this many seconds after the start.
        case after(Double)
        /// While the n-th checkpoint (1-based) is being written, `delay` seconds after its temporary file appears.
        case duringCheckpointWrite(Int, delay: Double)

        var description: String {
            switch self {
            case .after(let seconds): String(format: "%.2f s after the start", seconds)
            case .duringCheckpointWrite(let number, let delay):
                String(format: "during checkpoint write %d (+%.1f ms)", number, delay * 1000)
            }
        }
    }

    /// 20 seeded moments: 14 spread over the uninterrupted run's duration, 6 inside checkpoint writes.
    static func moments(count: Int, seconds: Double) -> [Moment] {
        var random = CaseRandom(family: "kill-9", index: 0)
        return (0 ..< count).map { index in
            index % 10 < 7
                ? .after(0.05 + Double(random.int(0 ... 1000)) / 1000 * seconds * 0.95)
                : .duringCheckpointWrite(random.int(1 ... TrainingRuns.epochs), delay: Double(random.int(0 ... 4)) / 1000)
        }
    }

    /// Kills the training at `moment`; returns when it was killed (nil: it finished first).
    static func kill(_ child: ChildProcess, run: String, at moment: Moment) -> Double? {
        switch moment {
        case .after(let seconds):
            TrainingRuns.wait(for: child, timeout: seconds) { false }
        case .duringCheckpointWrite(let number, let delay):
            var seen = 0
            var writing = false
            TrainingRuns.wait(for: child, timeout: TimeLimit.training) {
                let now = TrainingRuns.writingCheckpoint(run)
                if now && !writing { seen += 1 }
                writing = now
                return seen >= number
            }
            if delay > 0 { usleep(useconds_t(delay * 1_000_000)) }
        }
        guard child.poll() == nil else { return nil }
        let when = child.elapsed
        child.killGroup()
        while child.poll() == nil { usleep(1_000) }
        return when
    }

    @Test func killNineAtTwentyMomentsThenResumeEndsBitIdentical() throws {
        let binary = try ReleaseBinary.require()
        let reference = try TrainingRuns.reference()
        let moments = Self.moments(count: 20, seconds: TrainingRuns.seconds())
        let failures = FailureLog()
        DispatchQueue.concurrentPerform(iterations: moments.count) { index in
            let moment = moments[index]
            do {
                let folder = try Workspace.folder("faults/kill-\(index)")
                defer { Workspace.discard(folder) }
                let run = "\(folder)/run"
                let arguments = try TrainingRuns.arguments(run: run)
                let child = try ChildProcess(binary, arguments, in: folder)
                let killed = Self.kill(child, run: run, at: moment)
                let resumed = try ChildProcess.run(binary, arguments + ["--resume"], in: folder,
                                                   timeout: TimeLimit.training, outputName: "-resume")
                let when = killed.map { String(format: "killed at %.2f s", $0) } ?? "finished before the kill"
                guard resumed.termination == .exited(0) else {
                    failures.add("kill -9 #\(index) \(moment) (\(when)): the resume ended with "
                        + "\(resumed.termination): \(resumed.stderrTail())")
                    return
                }
                for problem in TrainingRuns.differences(run, from: reference) {
                    failures.add("kill -9 #\(index) \(moment) (\(when)), then --resume: \(problem)")
                }
            } catch {
                failures.add("kill -9 #\(index) \(moment): harness error \(error)")
            }
        }
        Self.report(failures.items, "kill -9")
    }

    /// SIGINT and SIGTERM after the first checkpoint: exit 130 or 143 at a safe point, a message saying how to
    /// resume, and a checkpoint that resumes to the uninterrupted end state.
    @Test(arguments: [SIGINT, SIGTERM])
    func interruptStopsAtASafePointAndSaysHowToResume(signal: Int32) throws {
        let binary = try ReleaseBinary.require()
        let reference = try TrainingRuns.reference()
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        let folder = try Workspace.folder("faults/\(name)")
        defer { Workspace.discard(folder) }
        let run = "\(folder)/run"
        let arguments = try TrainingRuns.arguments(run: run)
        let child = try ChildProcess(binary, arguments, in: folder)
        let started = TrainingRuns.wait(for: child, timeout: TimeLimit.training) {
            FileManager.default.fileExists(atPath: "\(run)/trainer.json")
        }
        var failures: [String] = []
        guard started, child.poll() == nil else {
            Self.report(["the training ended before its first checkpoint could be interrupted"], name)
            return
        }
        child.send(signal)
        let stopped = child.wait(timeout: child.elapsed + 15)
        let expected = signal == SIGINT ? Int32(130) : 143
        if stopped.termination != .exited(expected) {
            failures.append("\(name) during training: \(stopped.termination), expected exit \(expected)")
        }
        if !stopped.stderr.contains("--resume") {
            failures.append("\(name): no message saying how to resume (stderr: \(stopped.stderrTail()))")
        }
        let temporary = Files.temporaryFiles(below: run)
        if !temporary.isEmpty { failures.append("\(name): temporary files left: \(temporary.joined(separator: ", "))") }
        let resumed = try ChildProcess.run(binary, arguments + ["--resume"], in: folder, timeout: TimeLimit.training,
                                           outputName: "-resume")
        if resumed.termination != .exited(0) {
            failures.append("--resume after \(name): \(resumed.termination): \(resumed.stderrTail())")
        } else {
            failures += TrainingRuns.differences(run, from: reference).map { "--resume after \(name): \($0)" }
        }
        Self.report(failures, name)
    }

    /// Two `simvae train` into one `--run` at once: exactly one proceeds, the other is refused with a sentence,
    /// and the run it leaves equals the uninterrupted one.
    @Test(arguments: ["--resume", "--force"])
    func aSecondWriterIsRefused(secondFlag: String) throws {
        let binary = try ReleaseBinary.require()
        // Long enough (about 3 s) that the second writer starts well before the first is done.
        let epochs = 16
        let reference = try TrainingRuns.reference(epochs: epochs)
        let folder = try Workspace.folder("faults/writers\(secondFlag)")
        defer { Workspace.discard(folder) }
        let run = "\(folder)/run"
        let arguments = try TrainingRuns.arguments(run: run, epochs: epochs)
        // A `--resume`, then at once another `--resume`, or a `--force` once the first is training.
        let first = try ChildProcess(binary, arguments + ["--resume"], in: folder, outputName: "-first")
        if secondFlag == "--force" {
            TrainingRuns.wait(for: first, timeout: TimeLimit.training) {
                FileManager.default.fileExists(atPath: "\(run)/config.json")
            }
        }
        let second = try ChildProcess(binary, arguments + [secondFlag], in: folder, outputName: "-second")
        let results = [first.wait(timeout: TimeLimit.training), second.wait(timeout: TimeLimit.training)]
        var failures: [String] = []
        let succeeded = results.filter { $0.termination == .exited(0) }.count
        let refused = results.filter { $0.termination == .exited(1) && $0.stderr.contains("error:") }
        if succeeded != 1 || refused.count != 1 {
            failures.append("train --resume and train \(secondFlag) into one run at once: "
                + results.map { "\($0.termination) (\($0.stderrTail(1)))" }.joined(separator: "; ")
                + " — expected exactly one to proceed and the other to be refused with a sentence")
        }
        failures += TrainingRuns.differences(run, from: reference).map { "after two writers: \($0)" }
        Self.report(failures, "two writers (\(secondFlag))")
    }

    /// Stopping `simvae experiment` takes its children (the training or evaluation it started) down with it.
    @Test func stoppingAnExperimentStopsItsChildren() throws {
        let binary = try ReleaseBinary.require()
        let folder = try Workspace.folder("faults/experiment")
        defer { Workspace.discard(folder) }
        let out = "\(folder)/experiment"
        let child = try ChildProcess(binary, ["experiment", "table1", "--dataset", "fashion-mnist",
                                              "--data-dir", try Fixtures.idx(), "--methods", "simvae", "--seeds", "1",
                                              "--epochs", "200", "--views", "2", "--limit", "64", "--out", out],
                                     in: folder)
        defer { child.killGroup() }
        let started = TrainingRuns.wait(for: child, timeout: TimeLimit.training) {
            FileManager.default.fileExists(atPath: "\(out)/simvae-seed1/config.json")
        }
        guard started, child.poll() == nil else {
            Self.report(["the experiment's training did not start (or it ended first)"], "experiment")
            return
        }
        child.send(SIGTERM)
        let stopped = child.wait(timeout: child.elapsed + 15, leavingGroup: true)
        var failures: [String] = []
        // Exiting 143, or dying of the signal re-raised after stopping the children, are both a clean stop.
        if ![Termination.exited(143), .exited(130), .signaled(SIGTERM)].contains(stopped.termination) {
            failures.append("SIGTERM to experiment: \(stopped.termination), expected exit 143")
        }
        let deadline = Date().addingTimeInterval(2)
        var left = Self.processes(mentioning: out)
        while !left.isEmpty && Date() < deadline {
            usleep(20_000)
            left = Self.processes(mentioning: out)
        }
        if !left.isEmpty {
            failures.append("2 s after SIGTERM ended `simvae experiment`, \(left.count) process(es) it started are still "
                + "running (pids \(left.map(String.init).joined(separator: ", ")))")
            for pid in left { Glibc.kill(pid, SIGKILL) }
        }
        Self.report(failures, "experiment")
    }
}

extension InterruptionTests {
    /// The processes whose command line mentions `text` (the children an experiment started name its folder).
    static func processes(mentioning text: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let arguments = String(decoding: line, as: UTF8.self).split(separator: "\0")
            return arguments.contains { $0.contains(text) } ? pid : nil
        }
    }
}

/// Failures collected from several threads.
final class FailureLog: @unchecked Sendable {
    // Guarded by `lock`.
    private var storage: [String] = []
    private let lock = NSLock()

    func add(_ failure: String) { lock.withLock { storage.append(failure) } }
    var items: [String] { lock.withLock { storage.sorted() } }
}
