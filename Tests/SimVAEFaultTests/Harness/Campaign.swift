import Foundation

/// The fuzz campaign: cases from every family, sized by `$SIMVAE_FUZZ_CASES` (default 250, what `make test` runs;
/// `make fuzz` runs 5 000), seeded by `$SIMVAE_FUZZ_SEED`, run `$SIMVAE_FUZZ_JOBS` (default 2) at a time.
/// `$SIMVAE_FUZZ_ONLY=family/index[,…]` runs just those cases (with `$SIMVAE_FUZZ_KEEP=1` their folders stay).
enum Campaign {
    static let environment = ProcessInfo.processInfo.environment
    static let seed = UInt64(environment["SIMVAE_FUZZ_SEED"] ?? "") ?? 20_261_201
    static let size = max(1, Int(environment["SIMVAE_FUZZ_CASES"] ?? "") ?? 250)
    static let jobs = max(1, Int(environment["SIMVAE_FUZZ_JOBS"] ?? "") ?? 2)
    static let only: Set<String>? = environment["SIMVAE_FUZZ_ONLY"].map {
        Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// The families and their shares of the campaign.
    static let families: [(name: String, share: Double, make: @Sendable (Int) throws -> FuzzCase)] = [
        (CheckpointFamily.name, 0.30, CheckpointFamily.make),
        (RunFileFamily.name, 0.27, RunFileFamily.make),
        (FlagFamily.name, 0.25, FlagFamily.make),
        (ImageFamily.name, 0.09, ImageFamily.make),
        (DatasetFileFamily.name, 0.09, DatasetFileFamily.make),
    ]

    /// How many cases each family gets out of `size` (each at least one).
    static func quotas(_ size: Int) -> [Int] {
        var quotas = families.map { max(1, Int((Double(size) * $0.share).rounded(.down))) }
        var index = 0
        while quotas.reduce(0, +) < size {
            quotas[index % quotas.count] += 1
            index += 1
        }
        return quotas
    }

    /// The campaign's cases, families interleaved so that slow ones spread over the run.
    static func cases() throws -> [FuzzCase] {
        if let only {
            return try only.sorted().map { id in
                let parts = id.split(separator: "/")
                guard parts.count == 2, let index = Int(parts[1]),
                      let family = families.first(where: { $0.name == parts[0] }) else {
                    throw HarnessError("SIMVAE_FUZZ_ONLY names no case '\(id)' (use family/index)")
                }
                return try family.make(index)
            }
        }
        let quotas = quotas(size)
        var cases: [FuzzCase] = []
        for round in 0 ..< (quotas.max() ?? 0) {
            for (family, quota) in zip(families, quotas) where round < quota {
                cases.append(try family.make(round))
            }
        }
        return cases
    }

    /// Runs one case in a fresh folder and classifies it.
    static func run(_ fuzzCase: FuzzCase, binary: String) -> CaseReport {
        let folder: String
        do {
            folder = try Workspace.folder("cases/\(fuzzCase.family)-\(fuzzCase.index)")
        } catch {
            return CaseReport(fuzzCase: fuzzCase, invocation: nil, result: nil, findings: [], changedFiles: [],
                              harnessError: "\(error)")
        }
        defer { Workspace.discard(folder) }
        let invocation: Invocation
        do {
            invocation = try fuzzCase.build(folder)
        } catch {
            return CaseReport(fuzzCase: fuzzCase, invocation: nil, result: nil, findings: [], changedFiles: [],
                              harnessError: "\(error)")
        }
        let snapshot = FileSnapshot(invocation.protected)
        let result: ChildResult
        do {
            result = try ChildProcess.run(binary, invocation.arguments, in: folder, timeout: invocation.timeout)
        } catch {
            return CaseReport(fuzzCase: fuzzCase, invocation: invocation, result: nil, findings: [], changedFiles: [],
                              harnessError: "\(error)")
        }
        let changed = result.termination == .exited(0) ? [] : snapshot.changed()
        return CaseReport(fuzzCase: fuzzCase, invocation: invocation, result: result,
                          findings: Classifier.findings(result, expectation: fuzzCase.expectation, changedFiles: changed),
                          changedFiles: changed, harnessError: nil)
    }

    /// Runs `cases`, `jobs` at a time, in order of their index in the list.
    static func run(_ cases: [FuzzCase], binary: String) -> [CaseReport] {
        let results = ReportList(count: cases.count)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let next = results.claim() {
                results.store(run(cases[next], binary: binary), at: next)
            }
        }
        return results.reports
    }

    /// The one summary line.
    static func summary(_ reports: [CaseReport], seconds: Double) -> String {
        let counts = Finding.allCases.map { finding in
            "\(reports.filter { $0.findings.contains(finding) }.count) \(finding.plural)"
        }
        let harness = reports.filter { $0.harnessError != nil }.count
        return "fuzz: \(reports.count) cases, " + counts.joined(separator: ", ")
            + (harness > 0 ? ", \(harness) harness errors" : "")
            + String(format: " (%.0f s, seed %llu; details in %@)", seconds, seed, reportPath)
    }

    static let reportPath = ReleaseBinary.packageRoot.appendingPathComponent(".build/fuzz/report.txt").path

    /// Writes every failing case's reproduction, with per-family counts, to `reportPath`.
    static func writeReport(_ reports: [CaseReport], summary: String) {
        var lines = [summary, ""]
        for family in families {
            let mine = reports.filter { $0.fuzzCase.family == family.name }
            let failing = mine.filter { !$0.findings.isEmpty || $0.harnessError != nil }
            let seconds = mine.compactMap(\.result?.seconds).reduce(0, +)
            lines.append(String(format: "%@: %d cases, %d failing, %.0f s of child time", family.name, mine.count,
                                failing.count, seconds))
        }
        lines.append("")
        lines += reports.filter { !$0.findings.isEmpty || $0.harnessError != nil }.map(\.reproduction)
        try? FileManager.default.createDirectory(atPath: (reportPath as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try? Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: reportPath))
    }
}

/// Reports filled in by several worker threads.
final class ReportList: @unchecked Sendable {
    // Guarded by `lock`.
    private var slots: [CaseReport?]
    private var nextIndex = 0
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.withLock {
            guard nextIndex < slots.count else { return nil }
            defer { nextIndex += 1 }
            return nextIndex
        }
    }

    func store(_ report: CaseReport, at index: Int) { lock.withLock { slots[index] = report } }

    var reports: [CaseReport] { lock.withLock { slots.compactMap { $0 } } }
}
