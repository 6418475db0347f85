import Foundation
import Testing
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Data-parallel training over Gloo on this machine, driven through the release binary: two ranks of 64 images
/// must train as one process of 128 does, resume exactly, stop together when one dies, and refuse bad launches
/// in one line.
///
/// The runs use the real Fashion-MNIST (which `scripts/bootstrap` installs) with an MLP, 20 steps each. A binary
/// built without Gloo (against a torch wheel) is held to refusing `--nproc` in one sentence instead.
@Suite(.serialized, .enabled(if: GlooSupport.isBuiltIn)) struct DataParallelTests {
    /// 128 images a step (64 a rank), one epoch, no monitor.
    static let common = ["--dataset", "fashion-mnist", "--backbone", "mlp", "--batch-size", "128",
                         "--monitor-every", "off"]

    static func train(_ arguments: [String], in folder: String, name: String = "",
                      environment: [String: String] = [:], timeout: Double = TimeLimit.heavy) throws -> ChildResult {
        try ChildProcess(try ReleaseBinary.require(), ["train"] + arguments, in: folder, outputName: name,
                         environment: environment).wait(timeout: timeout)
    }

    /// Trains `options` as one process on one thread and as two ranks of one thread each; returns both models.
    static func oneAndTwoRanks(_ options: [String], in folder: String,
                               twoRankOptions: [String] = []) throws -> (one: Model, two: Model) {
        let alone = try train(common + options + ["--run", "\(folder)/one", "--threads", "1"], in: folder, name: "1")
        #expect(alone.termination == .exited(0), "one process: \(alone.termination): \(alone.stderrTail())")
        let ranks = try train(common + options + twoRankOptions + ["--run", "\(folder)/two", "--nproc", "2",
                                                                   "--threads", "2"], in: folder, name: "2")
        #expect(ranks.termination == .exited(0), "two ranks: \(ranks.termination): \(ranks.stderrTail())")
        #expect(ranks.stdout.contains("(2 ranks)"), "the run must say it trained on 2 ranks: \(ranks.stdout)")
        return (try Model(run: "\(folder)/one"), try Model(run: "\(folder)/two"))
    }

    @Test func simVAEOnTwoRanksTrainsAsOneProcessWithTheWholeBatch() throws {
        let folder = try Workspace.folder("parallel/simvae")
        defer { Workspace.discard(folder) }
        // 32 sets of 4 views a step, 16 a rank; 640 images make 20 steps.
        let (one, two) = try Self.oneAndTwoRanks(["--method", "simvae", "--views", "4", "--limit", "640",
                                                  "--epochs", "1"], in: folder)
        let worst = two.largestRelativeDifference(from: one)
        #expect(worst.value <= 1e-5, "parameters after 20 steps differ by \(worst.value) in \(worst.name)")
        #expect(two.tensors.keys.sorted() == one.tensors.keys.sorted())
    }

    @Test(arguments: [["--method", "simclr"], ["--method", "moco", "--queue-size", "256"]])
    func gatheredContrastiveTermsMatchOneProcess(method: [String]) throws {
        let folder = try Workspace.folder("parallel/\(method[1])")
        defer { Workspace.discard(folder) }
        // 64 pairs a step, 32 a rank: every view is contrasted with the other rank's views (SimCLR) and every rank
        // enqueues both ranks' keys (MoCo). A head without batch norm isolates the gathering.
        let (one, two) = try Self.oneAndTwoRanks(method + ["--projection", "32", "--limit", "1280", "--epochs", "1"],
                                                 in: folder)
        let worst = two.largestRelativeDifference(from: one)
        #expect(worst.value <= 1e-5, "\(method[1]): parameters after 20 steps differ by \(worst.value) in \(worst.name)")
    }

    @Test func vicRegGathersItsVarianceAndCovarianceTerms() throws {
        let folder = try Workspace.folder("parallel/vicreg")
        defer { Workspace.discard(folder) }
        // VICReg's loss is blind to a shift of the embeddings, so the gradient of the last bias before it is zero
        // in exact arithmetic and rounding noise in practice; Adam would turn that noise into full steps. LARS
        // does not, so the check is on the whole parameter vector after 20 LARS steps.
        let (one, two) = try Self.oneAndTwoRanks(["--method", "vicreg", "--projection", "32", "--optimizer", "lars",
                                                  "--limit", "1280", "--epochs", "1"], in: folder)
        let distance = two.relativeDistance(from: one)
        #expect(distance <= 1e-5, "VICReg parameters after 20 steps differ by \(distance) (relative)")
    }

    @Test func batchNormStatisticsAreTheWholeBatchs() throws {
        let folder = try Workspace.folder("parallel/batch-norm")
        defer { Workspace.discard(folder) }
        let options = ["--method", "simclr", "--projection", "64,32", "--limit", "1280", "--epochs", "1"]
        let (one, synchronised) = try Self.oneAndTwoRanks(options, in: folder)
        let unsynchronised = try Self.train(Self.common + options + ["--run", "\(folder)/local", "--nproc", "2",
                                                                     "--threads", "2", "--no-sync-batch-norm"],
                                            in: folder, name: "3")
        #expect(unsynchronised.termination == .exited(0), "\(unsynchronised.stderrTail())")
        let local = try Model(run: "\(folder)/local")
        // The bias before the head's batch norm has a zero gradient in exact arithmetic; Adam makes its rounding
        // noise visible (one process on 1 and on 2 threads differs by ~3e-5 here), so the bound is looser than for
        // networks without batch norm, and per-rank statistics must be far outside it.
        let (near, far) = (synchronised.relativeDistance(from: one), local.relativeDistance(from: one))
        #expect(near <= 1e-3, "with synchronised batch norm the parameters differ by \(near)")
        #expect(far >= 10 * near, "per-rank statistics (\(far)) must be told apart from synchronised ones (\(near))")
    }

    @Test func twoRanksResumeExactlyAndTheirCheckpointResumesInOneProcess() throws {
        let folder = try Workspace.folder("parallel/resume")
        defer { Workspace.discard(folder) }
        let options = Self.common + ["--method", "simvae", "--views", "4", "--limit", "320"]
        let ranks = ["--nproc", "2", "--threads", "2"]
        let straight = try Self.train(options + ranks + ["--run", "\(folder)/straight", "--epochs", "2"], in: folder)
        #expect(straight.termination == .exited(0), "\(straight.stderrTail())")
        for (name, resumed) in [("ranks", ranks), ("alone", ["--threads", "1"])] {
            let run = "\(folder)/\(name)"
            let first = try Self.train(options + ranks + ["--run", run, "--epochs", "1"], in: folder)
            #expect(first.termination == .exited(0), "\(first.stderrTail())")
            let second = try Self.train(options + resumed + ["--run", run, "--epochs", "2", "--resume"], in: folder)
            #expect(second.termination == .exited(0), "\(name): \(second.stderrTail())")
        }
        let reference = try TrainingRuns.modelTensors("\(folder)/straight/checkpoints/last.safetensors")
        let again = try TrainingRuns.modelTensors("\(folder)/ranks/checkpoints/last.safetensors")
        #expect(again == reference, "two ranks resumed after epoch 1 must end bit for bit where two ranks end straight")
        #expect(TrainingRuns.metrics("\(folder)/ranks/metrics.jsonl")
            == TrainingRuns.metrics("\(folder)/straight/metrics.jsonl"))
        let alone = try Model(run: "\(folder)/alone")
        let distance = alone.relativeDistance(from: try Model(run: "\(folder)/straight"))
        #expect(distance <= 1e-5, "a two-rank checkpoint resumed in one process drifts by \(distance)")
    }

    @Test func aKilledRankEndsTheRunNamingItAndKeepsTheCheckpoint() throws {
        let folder = try Workspace.folder("parallel/killed")
        defer { Workspace.discard(folder) }
        let run = "\(folder)/run"
        let options = Self.common + ["--method", "simvae", "--views", "4", "--limit", "640", "--run", run]
        let launcher = try ChildProcess(try ReleaseBinary.require(),
                                        ["train"] + options + ["--epochs", "500", "--nproc", "2", "--threads", "2"],
                                        in: folder)
        defer { launcher.killGroup() }
        var victim: pid_t?
        let ready = TrainingRuns.wait(for: launcher, timeout: TimeLimit.heavy) {
            victim = Self.rank(1, of: launcher.pid)
            return victim != nil && TrainingRuns.trainerState(run) != nil
        }
        try #require(ready && victim != nil, "the ranks did not start and finish an epoch")
        kill(victim!, SIGKILL)
        let result = launcher.wait(timeout: TimeLimit.training)
        #expect(result.termination == .exited(1), "\(result.termination): \(result.stderrTail())")
        #expect(result.stderr.contains("rank 1 (pid \(victim!)) was killed by signal 9"), "\(result.stderrTail())")
        // The checkpoint rank 0 last wrote is whole: one process continues from it.
        let state = try #require(TrainingRuns.trainerState(run))
        // "epoch N, step S, finished F"
        let epoch = try #require(Int(state.split(separator: ",")[0].dropFirst("epoch ".count)), "trainer.json: \(state)")
        let resumed = try Self.train(options + ["--threads", "1", "--resume", "--epochs", "\(epoch + 1)"], in: folder)
        #expect(resumed.termination == .exited(0), "\(resumed.stderrTail())")
    }

    @Test func badLaunchesAreOneLineErrorsNotHangs() throws {
        let folder = try Workspace.folder("parallel/launches")
        defer { Workspace.discard(folder) }
        let options = Self.common + ["--method", "simvae", "--views", "4", "--limit", "640", "--epochs", "1",
                                     "--threads", "1", "--dist-timeout", "5"]
        func ranks(_ port: Int, sizes: [Int]) throws -> [ChildResult] {
            let children = try sizes.enumerated().map { rank, size in
                try ChildProcess(try ReleaseBinary.require(), ["train"] + options + ["--run", "\(folder)/r\(port)"],
                                 in: folder, outputName: "\(port)-\(rank)",
                                 environment: ["RANK": "\(rank)", "WORLD_SIZE": "\(size)",
                                               "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "\(port)"])
            }
            return children.map { $0.wait(timeout: TimeLimit.training) }
        }
        let mismatched = try ranks(try Self.freePort(), sizes: [2, 3])
        for (rank, result) in mismatched.enumerated() {
            #expect(result.termination == .exited(1), "rank \(rank): \(result.termination)")
            #expect(result.stderr.contains("WORLD_SIZE=3") && result.stderr.contains("WORLD_SIZE=2"),
                    "rank \(rank): \(result.stderrTail())")
        }
        let alone = try ranks(try Self.freePort(), sizes: [2])[0]
        #expect(alone.termination == .exited(1), "\(alone.termination)")
        #expect(alone.stderr.contains("rank 1 did not join"), "\(alone.stderrTail())")
        #expect(alone.seconds < 20, "a missing rank must end the run after --dist-timeout, not \(alone.seconds) s")
        let (port, listener) = try Self.listeningPort()
        defer { close(listener) }
        let taken = try ranks(port, sizes: [2])[0]
        #expect(taken.termination == .exited(1), "\(taken.termination)")
        #expect(taken.stderr.contains("could not serve the group's store on 127.0.0.1:\(port)"), "\(taken.stderrTail())")
        let errorLines = taken.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errorLines.count == 1, "one error line, got: \(taken.stderr)")
    }

    /// The child of `launcher` whose environment says `RANK=rank`.
    static func rank(_ rank: Int, of launcher: pid_t) -> pid_t? {
        guard let list = try? String(contentsOfFile: "/proc/\(launcher)/task/\(launcher)/children", encoding: .utf8)
        else { return nil }
        return list.split(separator: " ").compactMap { pid_t($0) }.first { child in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(child)/environ") else { return false }
            return environment.split(separator: 0).contains { Array($0) == Array("RANK=\(rank)".utf8) }
        }
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let (port, socket) = try listeningPort()
        close(socket)
        return port
    }

    /// A loopback port and the socket listening on it.
    static func listeningPort() throws -> (port: Int, socket: Int32) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, bound, listen(descriptor, 1) == 0 else { throw HarnessError("no loopback port") }
        return (Int(UInt16(bigEndian: address.sin_port)), descriptor)
    }
}

/// Whether the binary under test has a Gloo process group, as its `simvae doctor` says.
enum GlooSupport {
    static let isBuiltIn: Bool = {
        guard let binary = try? ReleaseBinary.require(), let folder = try? Workspace.folder("parallel/doctor"),
              let result = try? ChildProcess.run(binary, ["doctor"], in: folder, timeout: TimeLimit.quick)
        else { return true }  // Run the suite, which then fails saying why.
        defer { Workspace.discard(folder) }
        return !result.stdout.contains("distributed   none")
    }()
}

@Suite(.enabled(if: !GlooSupport.isBuiltIn)) struct WithoutGlooTests {
    @Test func trainingAcrossProcessesIsRefusedInOneSentence() throws {
        let folder = try Workspace.folder("parallel/no-gloo")
        defer { Workspace.discard(folder) }
        let result = try DataParallelTests.train(DataParallelTests.common + ["--method", "simvae", "--limit", "640",
                                                                             "--run", "\(folder)/run"],
                                                 in: folder, environment: ["RANK": "0", "WORLD_SIZE": "2",
                                                                           "MASTER_ADDR": "127.0.0.1",
                                                                           "MASTER_PORT": "29555"])
        #expect(result.termination == .exited(1), "\(result.termination)")
        #expect(result.stderr.contains("has no Gloo process group"), "\(result.stderrTail())")
    }
}

/// The float32 model tensors of a run's checkpoint, by name.
struct Model {
    let tensors: [String: [Float]]

    init(run: String) throws {
        let image = try SafeTensorsImage(parsing: try Files.read("\(run)/checkpoints/last.safetensors"))
        var tensors: [String: [Float]] = [:]
        for entry in image.entries where entry.dtype == "F32" && !entry.name.hasPrefix("optimizer.")
            && !entry.name.hasPrefix("trainer.") {
            tensors[entry.name] = image.data.subdata(in: entry.begin ..< entry.end).withUnsafeBytes {
                Array($0.bindMemory(to: Float.self))
            }
        }
        self.tensors = tensors
    }

    /// ‖a − b‖ / ‖b‖ over the two flattened vectors.
    static func relative(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return .infinity }
        let difference = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let size = b.reduce(0.0) { $0 + Double($1) * Double($1) }
        return size == 0 ? (difference == 0 ? 0 : .infinity) : (difference / size).squareRoot()
    }

    /// The tensor that differs most from `reference`'s, relative to its size.
    func largestRelativeDifference(from reference: Model) -> (name: String, value: Double) {
        reference.tensors.keys.sorted().map { name in
            (name, tensors[name].map { Model.relative($0, reference.tensors[name]!) } ?? .infinity)
        }.max { $0.1 < $1.1 } ?? ("none", 0)
    }

    /// The relative distance between all the tensors, concatenated in name order.
    func relativeDistance(from reference: Model) -> Double {
        let names = reference.tensors.keys.sorted()
        guard names == tensors.keys.sorted() else { return .infinity }
        return Model.relative(names.flatMap { tensors[$0]! }, names.flatMap { reference.tensors[$0]! })
    }
}
