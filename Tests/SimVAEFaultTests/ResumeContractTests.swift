import Foundation
import Testing

/// The messages and behaviours the issue's table asks for that a fuzz verdict cannot see: what `--resume` says and
/// cleans up, that a stopped run does not claim a checkpoint it lacks, that errors name the flag a user typed, that
/// `eval` keeps earlier scores and `report` notices duplicate seeds.
@Suite(.serialized) struct ResumeContractTests {
    static func run(_ arguments: [String], in folder: String, timeout: Double = TimeLimit.training) throws -> ChildResult {
        try ChildProcess.run(try ReleaseBinary.require(), arguments, in: folder, timeout: timeout)
    }

    @Test func resumeOnAFolderWithoutARunSaysItStartsANewOne() throws {
        let folder = try Workspace.folder("contract/resume-new")
        defer { Workspace.discard(folder) }
        let result = try Self.run(try Fixtures.trainArguments(.simvae, run: "\(folder)/mistyped") + ["--resume"],
                                  in: folder)
        #expect(result.termination == .exited(0), "\(result.termination): \(result.stderrTail())")
        let said = result.stderr.lowercased()
        #expect(["new run", "no run", "starting"].contains { said.contains($0) },
                "--resume on a folder with no run must say plainly that it starts a new one; stderr: \(result.stderrTail())")
    }

    @Test func resumeRemovesStaleTemporaryFiles() throws {
        let folder = try Workspace.folder("contract/stale-tmp")
        defer { Workspace.discard(folder) }
        let (run, _) = try Fixtures.copy(.simvae, into: folder)
        try Files.write(Array(repeating: 1, count: 4096), to: "\(run)/checkpoints/.last.safetensors.99999.STALE.tmp")
        try Files.write("{", to: "\(run)/.trainer.json.99999.STALE.tmp")
        let result = try Self.run(try Fixtures.trainArguments(.simvae, run: run, epochs: 2) + ["--resume"], in: folder)
        #expect(result.termination == .exited(0), "\(result.termination): \(result.stderrTail())")
        let left = Files.temporaryFiles(below: run)
        #expect(left.isEmpty, "stale temporary files left after --resume: \(left.joined(separator: ", "))")
    }

    @Test func aDivergedRunDoesNotClaimACheckpointItLacks() throws {
        let folder = try Workspace.folder("contract/lr-10")
        defer { Workspace.discard(folder) }
        let run = "\(folder)/run"
        let result = try Self.run(try Fixtures.trainArguments(.simvae, run: run) + ["--lr", "10"], in: folder)
        #expect(result.termination != .exited(0) ? result.stderr.contains("--lr") : true,
                "a diverged run's message should name --lr: \(result.stderrTail())")
        if !FileManager.default.fileExists(atPath: "\(run)/checkpoints/last.safetensors") {
            #expect(!result.stderr.contains("is kept"),
                    "no checkpoint exists, yet the message says one is kept: \(result.stderrTail())")
        }
    }

    @Test func aResumeMismatchNamesTheFlagsThatDiffer() throws {
        let folder = try Workspace.folder("contract/mismatch")
        defer { Workspace.discard(folder) }
        let (run, protected) = try Fixtures.copy(.simvae, into: folder)
        let snapshot = FileSnapshot(protected)
        let result = try Self.run(try Fixtures.trainArguments(.simvae, run: run) + ["--resume", "--zdim", "5"],
                                  in: folder)
        #expect(result.termination == .exited(1), "\(result.termination): \(result.stderrTail())")
        #expect(result.stderr.contains("--zdim"), "the mismatch must name --zdim: \(result.stderrTail())")
        for field in ["latents", "vicregWeights", "dataDirectory", "batchSize"] {
            #expect(!result.stderr.contains(field),
                    "the mismatch names \(field), which the user did not change or cannot type: \(result.stderrTail())")
        }
        #expect(snapshot.changed().isEmpty, "a refused resume changed \(snapshot.changed())")
    }

    @Test func aBadConfigValueIsBlamedOnTheFileNotOnAFlag() throws {
        let folder = try Workspace.folder("contract/config-blame")
        defer { Workspace.discard(folder) }
        let (run, _) = try Fixtures.copy(.simvae, into: folder)
        let path = "\(run)/config.json"
        try Files.write(try RunFileFamily.edited(try Files.read(path),
                                                 RunFileFamily.ConfigEdit(key: "latents", raw: "0", verdict: .invalid)),
                        to: path)
        let result = try Self.run(["sample", "--run", run, "--out", "\(folder)/s.png", "--threads", "1"], in: folder,
                                  timeout: TimeLimit.quick)
        #expect(result.termination == .exited(1), "\(result.termination): \(result.stderrTail())")
        #expect(result.stderr.contains("config.json") && !result.stderr.contains("--zdim"),
                "latents 0 in config.json must be blamed on config.json, not on a flag never typed: \(result.stderrTail())")
    }

    @Test func evalKeepsTheScoresOfEarlierProbes() throws {
        let folder = try Workspace.folder("contract/eval-merge")
        defer { Workspace.discard(folder) }
        let (run, _) = try Fixtures.copy(.simvae, into: folder)
        let result = try Self.run(["eval", "--run", run, "--probes", "gmm", "--limit", "64", "--threads", "1"],
                                  in: folder, timeout: TimeLimit.training)
        #expect(result.termination == .exited(0), "\(result.termination): \(result.stderrTail())")
        let scores = String(decoding: try Files.read("\(run)/eval.json"), as: UTF8.self)
        #expect(scores.contains("\"knn_acc\"") && scores.contains("\"gmm_acc\""),
                "eval --probes gmm dropped the kNN score eval --probes knn wrote before: \(scores.prefix(300))")
    }

    @Test func reportNoticesTwoRunsWithTheSameSeed() throws {
        let folder = try Workspace.folder("contract/report-seeds")
        defer { Workspace.discard(folder) }
        let first = try Fixtures.copy(.simvae, into: "\(folder)/a").run
        let second = try Fixtures.copy(.simvae, into: "\(folder)/b").run
        let result = try Self.run(["report", "--runs", first, second, "--out", "\(folder)/report.html"], in: folder,
                                  timeout: TimeLimit.quick)
        let said = (result.stdout + result.stderr).lowercased()
        #expect(["duplicate", "same seed", "identical", "repeats"].contains { said.contains($0) },
                "two copies of one run (one seed) were reported as seeds without a warning: \(result.stderrTail())")
    }
}
