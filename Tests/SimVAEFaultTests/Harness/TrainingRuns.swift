import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// The training the fault tests interrupt: the tiny SimVAE run for 4 epochs (32 steps, 4 checkpoints), seed 7, a
/// metrics line every step, one thread (so an interrupted and resumed run can match an uninterrupted one bit for bit).
enum TrainingRuns {
    static let epochs = 4

    static func arguments(run: String, epochs: Int = epochs) throws -> [String] {
        try Fixtures.trainArguments(.simvae, run: run, epochs: epochs, seed: 7) + ["--log-every", "1"]
    }

    /// The uninterrupted run of `epochs` every interrupted one must end equal to (trained once per process).
    static func reference(epochs: Int = epochs) throws -> String {
        let binary = try ReleaseBinary.require()
        lock.lock()
        defer { lock.unlock() }
        if let run = references[epochs]?.run { return run }
        let folder = try Workspace.folder("fixtures/reference-\(epochs)")
        let run = "\(folder)/run"
        let result = try ChildProcess.run(binary, try arguments(run: run, epochs: epochs), in: folder,
                                          timeout: TimeLimit.training)
        guard result.termination == .exited(0) else {
            throw HarnessError("the uninterrupted reference run failed (\(result.termination)): \(result.stderrTail())")
        }
        references[epochs] = (run, result.seconds)
        return run
    }

    /// How long the reference run of `epochs` took, for choosing kill moments.
    static func seconds(epochs: Int = epochs) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return references[epochs]?.seconds ?? 2
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var references: [Int: (run: String, seconds: Double)] = [:]

    /// Metrics keys that measure time or memory, which no two runs share (the online monitor's included: the
    /// training seconds at its reading and its own cost; its accuracy must agree).
    static let volatileKeys: Set<String> = ["images_per_s", "epoch_seconds", "peak_rss_mib", "seconds",
                                            "training_seconds", "monitor_seconds", "communication_ms_per_step"]

    /// How `run` differs from `reference`: model tensors (all but `optimizer.` and `trainer.` entries) byte for
    /// byte, the metrics lines without their timings, trainer.json's epoch, step and finished flag, and any
    /// temporary files left behind. Empty when they agree.
    static func differences(_ run: String, from reference: String) -> [String] {
        var problems: [String] = []
        let temporary = Files.temporaryFiles(below: run)
        if !temporary.isEmpty { problems.append("temporary files left: " + temporary.joined(separator: ", ")) }
        do {
            let mine = try modelTensors("\(run)/checkpoints/last.safetensors")
            let theirs = try modelTensors("\(reference)/checkpoints/last.safetensors")
            let differing = Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
            if !differing.isEmpty {
                problems.append("model tensors differ from the uninterrupted run: "
                    + differing.prefix(4).joined(separator: ", ") + (differing.count > 4 ? ", …" : ""))
            }
        } catch {
            problems.append("checkpoint unreadable: \(error)")
        }
        let (mine, theirs) = (metrics("\(run)/metrics.jsonl"), metrics("\(reference)/metrics.jsonl"))
        if mine != theirs {
            let first = zip(mine, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(mine.count, theirs.count)
            problems.append("metrics.jsonl differs from the uninterrupted run (\(mine.count) lines against "
                + "\(theirs.count); first difference at line \(first + 1))")
        }
        if trainerState(run) != trainerState(reference) {
            problems.append("trainer.json \(trainerState(run) ?? "missing") against \(trainerState(reference) ?? "missing")")
        }
        return problems
    }

    /// Each model tensor's dtype, shape and bytes, by name.
    static func modelTensors(_ path: String) throws -> [String: Data] {
        let image = try SafeTensorsImage(parsing: try Files.read(path))
        var tensors: [String: Data] = [:]
        for entry in image.entries where !entry.name.hasPrefix("optimizer.") && !entry.name.hasPrefix("trainer.") {
            tensors[entry.name] = Data("\(entry.dtype)\(entry.shape)".utf8)
                + image.data.subdata(in: entry.begin ..< entry.end)
        }
        return tensors
    }

    /// The metrics lines without their volatile keys, as canonical JSON text.
    static func metrics(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            guard var object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                return "unparsable: \(line)"
            }
            for key in volatileKeys { object[key] = nil }
            let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return canonical.map { String(decoding: $0, as: UTF8.self) } ?? "unencodable"
        }
    }

    static func trainerState(_ run: String) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(run)/trainer.json"),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return "epoch \(object["epoch"] ?? "?"), step \(object["step"] ?? "?"), finished \(object["finished"] ?? "?")"
    }

    /// Waits (polling every millisecond) until `condition` holds or `child` ends or `timeout` passes.
    @discardableResult
    static func wait(for child: ChildProcess, timeout: Double, until condition: () -> Bool) -> Bool {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            if condition() { return true }
            if child.poll() != nil { return condition() }
            usleep(1_000)
        }
        return false
    }

    /// Whether a checkpoint is being written (its temporary sibling exists).
    static func writingCheckpoint(_ run: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(run)/checkpoints")) ?? []
        return names.contains { $0.hasPrefix(".last.safetensors.") && $0.hasSuffix(".tmp") }
    }
}
