import Foundation
import SimVAEData
import SimVAEMethods
import Torch

/// The whole evaluation protocol of one run folder, as `simvae eval` runs it: the `Evaluator`'s parts on the
/// run's frozen representations, plus, with the style part, the synthetic dataset's generating factors and
/// CelebA's attribute and hair-colour probes; the scores are merged into the run's `eval.json`.
public enum RunEvaluation {
    /// Evaluates the run in `run` and writes the scores, merged with those stored there, to its `eval.json`.
    ///
    /// The representations come from `Representations.load` (cached in the folder); the evaluator is seeded with
    /// the run's seed; the result records the run's method, dataset, checkpoint epoch and step, and `limit`. The
    /// style part's seconds include its factor and attribute probes.
    ///
    /// - Parameters:
    ///   - run: the run folder.
    ///   - parts: the parts to run.
    ///   - limit: evaluate on the first `limit` images of each split (whole splits when nil).
    ///   - device: where the representations are extracted and the kNN runs; the mixture and the probes run on
    ///     the CPU (where they were measured; no GPU was at hand to compare).
    ///   - progress: receives a line as each stage finishes and how far the running stage has got.
    /// - Returns: what was written, and a sentence saying why stored scores were dropped, if they were.
    /// - Throws: a sentence naming the file for an invalid run folder or `eval.json`, or `EvaluationError`.
    public static func evaluate(_ run: RunDirectory, parts: Set<Evaluator.Part> = Set(Evaluator.Part.allCases),
                                limit: Int? = nil, device: Device = .cpu,
                                progress: WorkProgress = .silent) throws
        -> (saved: EvaluationResult, note: String?) {
        let configuration = try run.readConfiguration()
        let stored = try EvaluationResult.stored(at: run.evaluation)
        let watch = Stopwatch()
        let representations = try Representations.load(run: run, limit: limit, device: device, progress: progress)
        var evaluator = Evaluator(seed: configuration.seed)
        evaluator.knn.device = device
        let views = StyleViews.split(features: representations.styleFeatures,
                                     targets: representations.styleTargets, names: representations.styleNames)
        var result = try evaluator.evaluate(
            train: (representations.trainFeatures, representations.trainLabels),
            test: (representations.testFeatures, representations.testLabels), parts: parts, style: views,
            progress: progress.indented(by: "  "))
        if parts.contains(.style) {
            let styleWatch = Stopwatch()
            let additional = try additionalStyleScores(representations, dataset: configuration.dataset,
                                                       evaluator: evaluator, progress: progress)
            result.style = (result.style ?? [:]).merging(additional.scores) { $1 }
            result.probeSteps = (result.probeSteps ?? [:]).merging(additional.steps) { $1 }
            result.seconds?["style", default: 0] += styleWatch.elapsed
        }
        result.method = configuration.method.name
        result.dataset = configuration.dataset.name
        let state = try run.readTrainerState()
        (result.epochs, result.step, result.limit) = (state?.epoch, state?.step, limit)
        result.seconds?["total"] = watch.elapsed
        return try result.save(to: run.evaluation, mergingInto: stored)
    }

    /// The style scores beyond the augmented views: the dataset's generating factors where it has them (the
    /// synthetic shapes), and its attribute and hair-colour probes where it has attributes (CelebA).
    private static func additionalStyleScores(_ representations: Representations, dataset: Dataset,
                                              evaluator: Evaluator, progress: WorkProgress) throws
        -> ProbeScores {
        var scored = ProbeScores()
        if let factors = StyleViews.generatingFactors(of: dataset, train: representations.trainFeatures,
                                                      test: representations.testFeatures) {
            progress.note("  style: probing the dataset's generating factors")
            scored.merge(try evaluator.styleScores(factors, probe: "style_factors") {
                progress.advance("style factor probe steps", $0, nil)
            })
        }
        if !representations.attributeNames.isEmpty {
            progress.note("  style: attribute probes (all attributes, hair colour)")
            scored.merge(try AttributeProbes(evaluator.probeSettings).scores(
                train: (representations.trainFeatures, representations.trainAttributes),
                test: (representations.testFeatures, representations.testAttributes),
                names: representations.attributeNames))
        }
        return scored
    }
}
