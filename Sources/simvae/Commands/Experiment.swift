import ArgumentParser
import Foundation
import SimVAEData
import SimVAEMethods

/// `simvae experiment`: reproduce a comparison from the paper over methods and seeds.
struct Experiment: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the paper's comparisons.", subcommands: [Table1.self])

    /// `simvae experiment table1`: every method × seed trained (finished runs skipped, interrupted ones
    /// resumed), evaluated and compared in one report with mean ± standard error and the paper's numbers.
    struct Table1: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train and evaluate every method × seed on a dataset; write Table 1 as HTML and Markdown.")

        @Option(help: SharedHelp.dataset)
        var dataset: Dataset
        @Option(help: "Comma-separated methods (default: all).")
        var methods = Method.registered.map(\.name).joined(separator: ",")
        @Option(help: "Seeds per method.")
        var seeds = 3
        @Option(help: "Training epochs of every method (the random encoder trains none).")
        var epochs = 12
        @Option(help: "Views per set for the methods that use several (default: each method's).")
        var views: Int?
        @Option(help: "Train and evaluate on the first N images of each split.")
        var limit: Int?
        @Option(help: SharedHelp.dataDirectory)
        var dataDir: String?
        @Option(help: "Folder for the runs and the report (default: runs/table1-<dataset>).")
        var out: String?
        @Option(help: "Runs trained at the same time, each in its own process with cores / jobs threads.")
        var jobs = 1
        @OptionGroup var compute: ComputeOptions

        func validate() throws {
            if try chosenMethods().isEmpty {
                throw ValidationError("--methods must name at least one method, got '\(methods)'.")
            }
            if !(1...100).contains(seeds) { throw ValidationError("--seeds must be between 1 and 100, got \(seeds).") }
            if !(1...TrainingConfiguration.maximumEpochs).contains(epochs) {
                throw ValidationError("--epochs must be between 1 and \(TrainingConfiguration.maximumEpochs), "
                    + "got \(epochs).")
            }
            if !(1...64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64, got \(jobs).") }
            if let views, !(1...TrainingConfiguration.maximumBatchSize).contains(views) {
                throw ValidationError("--views must be between 1 and \(TrainingConfiguration.maximumBatchSize), "
                    + "got \(views).")
            }
            if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit).") }
            if let out { try PathOption.validate(out, flag: "--out") }
            if let dataDir { try PathOption.validate(dataDir, flag: "--data-dir") }
        }

        private func chosenMethods() throws -> [Method] {
            try CommaListOption.parse(methods, flag: "--methods", choices: Method.names, Method.named)
        }

        func run() throws {
            _ = try compute.resolved()
            try reportingErrors {
                let folder = out ?? "runs/table1-\(dataset.name)"
                let threads = Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
                var jobsToRun: [ExperimentJob] = []
                for method in try chosenMethods() {
                    for index in 0..<seeds {
                        let run = "\(folder)/\(method.name)-seed\(index + 1)"
                        var train = ["train", "--method", method.name, "--dataset", dataset.name, "--run", run,
                                     "--seed", "\(1234 + index)", "--resume", "--threads", "\(threads)"]
                            + compute.arguments
                        if method.family != .untrained { train += ["--epochs", "\(epochs)"] }
                        if let views, method.minimumViews > 1 { train += ["--views", "\(views)"] }
                        if let limit { train += ["--limit", "\(limit)"] }
                        if let dataDir { train += ["--data-dir", dataDir] }
                        var evaluate = ["eval", "--run", run, "--threads", "\(threads)"] + compute.arguments
                        if let limit { evaluate += ["--limit", "\(limit)"] }
                        jobsToRun.append(ExperimentJob(run: run, steps: [train, evaluate]))
                    }
                }
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try ExperimentJob.runAll(jobsToRun, concurrently: jobs, logFolder: folder)
                var report = ["report", "--runs"] + jobsToRun.map(\.run)
                report += ["--out", "\(folder)/report.html", "--markdown", "\(folder)/table.md",
                           "--title", "Table 1 on \(dataset.name) (\(epochs) epochs, \(seeds) seeds)"]
                try ExperimentJob.invoke(report, log: nil)
            }
        }
    }
}

/// One run of an experiment: `simvae` subcommands executed one after the other in a child process each.
struct ExperimentJob: Sendable {
    let run: String
    let steps: [[String]]

    /// Runs `jobs` with at most `concurrently` at a time; each job's output goes to `<logFolder>/<run>.log`.
    /// - Throws: a sentence naming the runs that failed (the others complete regardless).
    static func runAll(_ jobs: [ExperimentJob], concurrently: Int, logFolder: String) throws {
        let failures = FailureList()
        let slots = DispatchSemaphore(value: concurrently)
        let group = DispatchGroup()
        for job in jobs {
            slots.wait()
            group.enter()
            Thread.detachNewThread {
                defer { slots.signal(); group.leave() }
                let log = "\(logFolder)/\(URL(fileURLWithPath: job.run).lastPathComponent).log"
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                print("started \(job.run) (log: \(log))")
                do {
                    for step in job.steps { try invoke(step, log: log) }
                    print("finished \(job.run)")
                } catch {
                    failures.append("\(job.run): \(error)")
                    print("FAILED \(job.run): \(error)")
                }
            }
        }
        group.wait()
        let failed = failures.items
        if !failed.isEmpty { throw ConfigurationError("\(failed.count) run(s) failed: " + failed.joined(separator: "; ")) }
    }

    /// Runs this executable with `arguments`, appending its output to `log` (or passing it through).
    static func invoke(_ arguments: [String], log: String?) throws {
        let process = Process()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ParentWatch.childEnvironment
        if let log, let handle = FileHandle(forWritingAtPath: log) {
            handle.seekToEndOfFile()
            process.standardOutput = handle
            process.standardError = handle
        }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = log.flatMap(lastError(in:)).map { ": \($0)" } ?? ""
            throw ConfigurationError("`simvae \(arguments[0])` exited with status \(process.terminationStatus)\(reason)"
                + (log.map { "; see \($0)" } ?? ""))
        }
    }

    /// The last error sentence a child wrote to its log, without its "error: " prefix.
    private static func lastError(in log: String) -> String? {
        guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last { $0.hasPrefix("error: ") || $0.hasPrefix("Error: ") }
            .map { String($0.dropFirst("error: ".count)) }
    }
}

/// Failures collected from several threads.
private final class FailureList: @unchecked Sendable {
    // Guarded by `lock`.
    private var storage: [String] = []
    private let lock = NSLock()

    func append(_ failure: String) { lock.withLock { storage.append(failure) } }
    var items: [String] { lock.withLock { storage } }
}
