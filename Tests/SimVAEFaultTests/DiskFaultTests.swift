import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Small tmpfs mounts for a full disk and a read-only folder (root only; otherwise the tests are skipped, saying why).
enum Mounts {
    /// nil when mounting works here, else why not.
    static let unavailableReason: String? = {
        guard getuid() == 0 else { return "not root: mount -t tmpfs is not permitted" }
        guard let point = try? Workspace.folder("mount-probe") else { return "no scratch folder" }
        defer { try? FileManager.default.removeItem(atPath: point) }
        do {
            try mount(point, size: "1m")
            unmount(point)
            return nil
        } catch {
            return "\(error)"
        }
    }()

    static var available: Bool {
        if let unavailableReason { print("skipped: disk fault tests: \(unavailableReason)") }
        return unavailableReason == nil
    }

    /// Mounts a tmpfs of `size` (e.g. "50m") at `point`.
    static func mount(_ point: String, size: String) throws {
        let result = try ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", point],
                                          in: Workspace.root, timeout: 30, outputName: "-mount")
        guard result.termination == .exited(0) else {
            throw HarnessError("mount -t tmpfs -o size=\(size) failed (\(result.termination)): \(result.stderrTail())")
        }
    }

    /// Makes the tmpfs at `point` read-only.
    static func remountReadOnly(_ point: String) throws {
        let result = try ChildProcess.run("/bin/mount", ["-o", "remount,ro", point], in: Workspace.root, timeout: 30,
                                          outputName: "-mount")
        guard result.termination == .exited(0) else {
            throw HarnessError("mount -o remount,ro failed (\(result.termination)): \(result.stderrTail())")
        }
    }

    static func unmount(_ point: String) {
        _ = try? ChildProcess.run("/bin/umount", ["-l", point], in: Workspace.root, timeout: 30, outputName: "-umount")
    }
}

/// A full disk and a read-only folder: commands fail with a sentence naming the file, leave the run as it was,
/// and a run stopped by a full disk resumes elsewhere to the uninterrupted end state.
@Suite(.serialized) struct DiskFaultTests {
    /// One command on a broken folder: it must fail (1, not a crash), name one of `names`, and change no file.
    static func check(_ label: String, _ arguments: [String], names: [String], protected: [String],
                      binary: String, in folder: String) throws -> [String] {
        let snapshot = FileSnapshot(protected)
        let result = try ChildProcess.run(binary, arguments, in: folder, timeout: TimeLimit.training,
                                          outputName: "-\(label.filter(\.isLetter))")
        var failures: [String] = []
        if result.termination != .exited(1) {
            failures.append("\(label): \(result.termination), expected exit 1 (stderr: \(result.stderrTail()))")
        } else if !Classifier.names(result.stderr, names) {
            failures.append("\(label): the error names none of \(names.joined(separator: ", ")): \(result.stderrTail())")
        }
        let changed = snapshot.changed()
        if !changed.isEmpty { failures.append("\(label) changed \(changed.joined(separator: ", "))") }
        return failures
    }

    @Test(.enabled(if: Mounts.available, "needs root to mount a small tmpfs"))
    func aFullDiskStopsTrainingWithASentenceAndTheRunResumesElsewhere() throws {
        let binary = try ReleaseBinary.require()
        let reference = try TrainingRuns.reference()
        var failures: [String] = []
        // 50 MB holds one 33 MB checkpoint but not a second one beside it; 20 MB not even the first.
        for size in ["50m", "20m"] {
            let point = try Workspace.folder("faults/full-\(size)")
            try Mounts.mount(point, size: size)
            defer { Mounts.unmount(point) }
            let run = "\(point)/run"
            let arguments = try TrainingRuns.arguments(run: run)
            let outputs = try Workspace.folder("faults/full-\(size)-cwd")
            defer { Workspace.discard(outputs) }
            let result = try ChildProcess.run(binary, arguments, in: outputs, timeout: TimeLimit.training)
            if result.termination != .exited(1) {
                failures.append("training on a full \(size) disk: \(result.termination), expected exit 1 "
                    + "(stderr: \(result.stderrTail()))")
            } else if !Classifier.names(result.stderr, ["last.safetensors", "No space", "space"]) {
                failures.append("training on a full \(size) disk: the error names neither the file nor the lack of "
                    + "space: \(result.stderrTail())")
            }
            let temporary = Files.temporaryFiles(below: run)
            if !temporary.isEmpty {
                failures.append("training on a full \(size) disk left \(temporary.joined(separator: ", "))")
            }
            // The run as the disk left it, resumed where there is room.
            let moved = try Workspace.folder("faults/full-\(size)-resumed")
            defer { Workspace.discard(moved) }
            try Files.copyTree(run, to: "\(moved)/run", linkingAbove: .max)
            let resumed = try ChildProcess.run(binary, try TrainingRuns.arguments(run: "\(moved)/run") + ["--resume"],
                                               in: moved, timeout: TimeLimit.training)
            if resumed.termination != .exited(0) {
                failures.append("--resume of the run a full \(size) disk stopped: \(resumed.termination): "
                    + resumed.stderrTail())
            } else {
                failures += TrainingRuns.differences("\(moved)/run", from: reference)
                    .map { "--resume of the run a full \(size) disk stopped: \($0)" }
            }
        }
        // A run already there, and a disk filled to the last byte: eval and sample must fail by name, losing nothing.
        let point = try Workspace.folder("faults/full-eval")
        try Mounts.mount(point, size: "40m")
        defer { Mounts.unmount(point) }
        let run = "\(point)/run"
        try Files.copyTree(try Fixtures.run(.simvae), to: run, linkingAbove: .max)
        try? FileManager.default.removeItem(atPath: "\(run)/representations.safetensors")
        _ = FileManager.default.createFile(atPath: "\(point)/filler", contents: nil)
        if let filler = FileHandle(forWritingAtPath: "\(point)/filler") {
            let block = Data(repeating: 0, count: 1 << 16)
            while (try? filler.write(contentsOf: block)) != nil {}
            try? filler.close()
        }
        let protected = Fixtures.runFiles(run)
        // The children's output goes to a folder with room (a full standard error is another matter).
        let scratch = try Workspace.folder("faults/full-eval-cwd")
        defer { Workspace.discard(scratch) }
        failures += try Self.check("eval on a full disk", ["eval", "--run", run, "--probes", "knn", "--limit", "64",
                                                           "--threads", "1"],
                                   names: ["eval.json", "representations", "space"], protected: protected,
                                   binary: binary, in: scratch)
        failures += try Self.check("sample onto a full disk", ["sample", "--run", run, "--out", "\(point)/s.png",
                                                               "--count", "4", "--threads", "1"],
                                   names: ["s.png", "space"], protected: protected, binary: binary, in: scratch)
        failures += try Self.check("train --resume --epochs 5 on a full disk",
                                   try Fixtures.trainArguments(.simvae, run: run, epochs: 5) + ["--resume"],
                                   names: ["last.safetensors", "space"], protected: protected, binary: binary,
                                   in: scratch)
        InterruptionTests.report(failures, "full disk")
    }

    @Test(.enabled(if: Mounts.available, "needs root to mount a read-only tmpfs (root ignores chmod)"))
    func aReadOnlyFolderIsRefusedByNameAndLeftAlone() throws {
        let binary = try ReleaseBinary.require()
        let point = try Workspace.folder("faults/read-only")
        try Mounts.mount(point, size: "80m")
        defer { Mounts.unmount(point) }
        let run = "\(point)/run"
        try Files.copyTree(try Fixtures.run(.simvae), to: run, linkingAbove: .max)
        try Mounts.remountReadOnly(point)
        let protected = Fixtures.runFiles(run)
        let scratch = try Workspace.folder("faults/read-only-cwd")
        defer { Workspace.discard(scratch) }
        var failures: [String] = []
        failures += try Self.check("eval on a read-only run",
                                   ["eval", "--run", run, "--probes", "knn,gmm", "--limit", "64", "--threads", "1"],
                                   names: ["eval.json", "representations", "Read-only", "read-only", run],
                                   protected: protected, binary: binary, in: scratch)
        failures += try Self.check("train --resume --epochs 2 on a read-only run",
                                   try Fixtures.trainArguments(.simvae, run: run, epochs: 2) + ["--resume"],
                                   names: [run, "Read-only", "read-only"], protected: protected, binary: binary,
                                   in: scratch)
        failures += try Self.check("a new run in a read-only folder",
                                   try Fixtures.trainArguments(.simvae, run: "\(point)/new"),
                                   names: ["\(point)/new"], protected: protected, binary: binary, in: scratch)
        failures += try Self.check("sample into a read-only folder",
                                   ["sample", "--run", run, "--out", "\(point)/s.png", "--count", "4", "--threads", "1"],
                                   names: ["s.png"], protected: protected, binary: binary, in: scratch)
        failures += try Self.check("report into a read-only folder",
                                   ["report", "--runs", run, "--out", "\(point)/report.html"],
                                   names: ["report.html"], protected: protected, binary: binary, in: scratch)
        InterruptionTests.report(failures, "read-only folder")
    }
}
