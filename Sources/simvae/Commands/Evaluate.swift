import ArgumentParser
import Foundation
import SimVAEEval
import SimVAEMethods

/// `simvae eval`: score a run's frozen representations (probes, kNN, GMM clustering, style probes).
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a run's representations; merges the scores into <run>/eval.json and prints a table.",
        discussion: """
            Scores of parts not run this time are kept when <run>/eval.json holds them for the same checkpoint \
            step, --limit and protocol settings; scores of another checkpoint, limit or protocol are dropped, \
            with a note.
            """)

    @Option(name: .customLong("run"), help: "Run folder.")
    var runFolder: String
    @Option(help: "Comma-separated parts: \(Evaluator.Part.allCases.map(\.rawValue).joined(separator: ",")).")
    var probes = Evaluator.Part.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "Evaluate on the first N images of each split.")
    var limit: Int?
    @Flag(help: "Print the eval.json object on standard output instead of the table.")
    var json = false
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        try PathOption.validateRun(runFolder)
        _ = try parts()
        if let limit, limit < 10 { throw ValidationError("--limit must be at least 10, got \(limit).") }
    }

    private func parts() throws -> Set<Evaluator.Part> {
        Set(try CommaListOption.parse(probes, flag: "--probes", as: Evaluator.Part.self))
    }

    func run() throws {
        let compute = try runtime.apply()
        try reportingErrors {
            let run = RunDirectory(path: runFolder)
            let progress = ProgressReporter()
            let (saved, note) = try RunEvaluation.evaluate(run, parts: try parts(), limit: limit,
                                                             device: compute.device, progress: progress.workProgress)
            progress.clearBar()
            if let note { progress.note("note: " + note) }
            if json {
                print(String(decoding: try saved.jsonData(), as: UTF8.self))
            } else {
                print(EvaluationTable.text(saved))
                progress.note("wrote \(run.evaluation.path)")
            }
        }
    }
}
