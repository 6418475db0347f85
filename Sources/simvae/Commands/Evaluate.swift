import ArgumentParser
import Foundation
import SimVAEEval
import SimVAEMethods
import Torch

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
        var chosen = Set<Evaluator.Part>()
        for name in probes.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let part = Evaluator.Part(rawValue: name) else {
                throw ValidationError("unknown probe '\(name)' in --probes; choose from "
                    + Evaluator.Part.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            chosen.insert(part)
        }
        if chosen.isEmpty { throw ValidationError("--probes must name at least one part, got '\(probes)'.") }
        return chosen
    }

    func run() throws {
        try runtime.apply()
        try reportingErrors {
            let run = RunDirectory(path: runFolder)
            let configuration = try run.readConfiguration()
            let stored = try EvaluationResult.stored(at: run.evaluation)
            let say = { (line: String) in FileHandle.standardError.write(Data((line + "\n").utf8)) }
            let watch = Stopwatch()
            let representations = try Representations.load(run: run, limit: limit, progress: say)
            let evaluator = Evaluator(seed: configuration.seed)
            let chosen = try parts()
            var result = try evaluator.evaluate(
                train: (representations.trainFeatures, representations.trainLabels),
                test: (representations.testFeatures, representations.testLabels), parts: chosen,
                style: StyleViews.split(representations), progress: { say("  " + $0) })
            if chosen.contains(.style),
               let factors = StyleViews.syntheticFactors(representations, dataset: configuration.dataset) {
                say("  style: probing the synthetic dataset's generating factors")
                for score in try evaluator.styleProbe.evaluate(factors) {
                    result.style?[score.key] = Swift.min(1, Swift.max(0, score.value))
                }
            }
            if chosen.contains(.style), !representations.attributeNames.isEmpty {
                say("  style: attribute probes (all attributes, hair colour)")
                let scores = try AttributeProbes.scores(representations, settings: evaluator.probeSettings)
                result.style = (result.style ?? [:]).merging(scores) { $1 }
            }
            result.method = configuration.method.name
            result.dataset = configuration.dataset.name
            let state = try run.readTrainerState()
            (result.epochs, result.step, result.limit) = (state?.epoch, state?.step, limit)
            result.seconds?["total"] = watch.elapsed
            let (saved, note) = try result.save(to: run.evaluation, mergingInto: stored)
            if let note { say("note: " + note) }
            if json {
                print(String(decoding: try saved.jsonData(), as: UTF8.self))
            } else {
                print(EvaluationTable.text(saved))
                say("wrote \(run.evaluation.path)")
            }
        }
    }
}
