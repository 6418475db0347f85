import Foundation
import SimVAEMethods
import Torch

/// The evaluation protocol of PAPER.md §6 on frozen representations: linear and MLP probes, kNN over k = 1…20,
/// Gaussian-mixture clustering and style probes, each timed, gathered into an `EvaluationResult`.
///
/// It never looks at the test split to choose anything: every probe trains until its loss on a held-out part of
/// the training split stops improving (`ProbeSettings`), the mixture is fitted on the training representations
/// and only predicts the test ones. The kNN sweep reports the best k on the test split, as the paper does,
/// together with that k.
/// Labels are class indices [N]; with a 0/1 attribute matrix [N, A] (CelebA) the probes train one output per
/// attribute and report the mean attribute accuracy, and kNN and clustering are skipped.
public struct Evaluator: Sendable {
    /// A part of the evaluation, named as in `simvae eval --probes`.
    public enum Part: String, Sendable, CaseIterable {
        case linear, mlp, knn, gmm, style
    }

    /// Probe training (the head is set per part); defaults in `ProbeSettings`: Adam 1e-3, batch 256,
    /// standardised inputs, trained to convergence on a held-out 10 % of the training split.
    public var probeSettings: ProbeSettings
    /// The kNN sweep; default Euclidean, k = 1…20.
    public var knn: KNNClassifier
    /// Covariance shape of the mixture (default full); it has one component per class.
    public var covarianceType: GaussianMixture.CovarianceType
    /// Mixture restarts (default 10; the paper's scikit-learn run used 20).
    public var gmmRestarts: Int
    /// Style probes (default MLP head).
    public var styleProbe: StyleProbe
    /// Seeds probes, mixture initialisation and style probes.
    public var seed: UInt64

    /// An evaluator with the defaults listed on each property.
    public init(seed: UInt64 = 0) {
        self.seed = seed
        probeSettings = ProbeSettings(seed: seed)
        knn = KNNClassifier()
        covarianceType = .full
        gmmRestarts = 10
        styleProbe = StyleProbe(ProbeSettings(head: .mlp, seed: seed))
    }

    /// Runs the chosen parts and returns their scores, the steps each probe took, seconds per part and the
    /// protocol's settings.
    ///
    /// - Parameters:
    ///   - train: training-split representations [N, D] and labels ([N] classes or [N, A] attributes).
    ///   - test: test-split representations [M, D] and labels of the same kind.
    ///   - parts: what to run.
    ///   - style: representations and factors for the style probes (required when `parts` has `.style`).
    ///   - progress: receives a line as each part finishes and how far the running part has got.
    /// - Throws: `EvaluationError` for invalid inputs or settings, or a numerical failure of the mixture.
    public func evaluate(train: (representations: Tensor, labels: Tensor),
                         test: (representations: Tensor, labels: Tensor),
                         parts: Set<Part> = Set(Part.allCases), style: StyleData? = nil,
                         progress: WorkProgress = .silent) throws -> EvaluationResult {
        if parts.contains(.style), style == nil {
            throw EvaluationError.invalidSetting(name: "parts", value: "style",
                                                 expected: "accompanied by style data (representations and factors)")
        }
        try RepresentationChecks.representations(train.representations, "training")
        try RepresentationChecks.representations(test.representations, "test")
        let attributes = train.labels.rank == 2 && train.labels.size(1) > 1
        var result = EvaluationResult(seed: Int(seed), settings: evaluationSettings)
        var seconds: [String: Double] = [:]
        var steps: [String: Int] = [:]
        func timed<T>(_ part: Part, _ body: (_ probeSteps: (Int) -> Void) throws -> T) rethrows -> T {
            let watch = Stopwatch()
            progress.advance(part.rawValue, 0, nil)
            defer {
                seconds[part.rawValue] = watch.elapsed
                progress.note(String(format: "%@: done in %.2f s", part.rawValue, seconds[part.rawValue] ?? 0))
            }
            return try body { progress.advance("\(part.rawValue) probe steps", $0, nil) }
        }
        for (part, head) in [(Part.linear, ProbeHead.linear), (.mlp, .mlp)] where parts.contains(part) {
            var settings = probeSettings
            settings.head = head
            let probe = Probe(settings)
            let outcome = try timed(part) { steps in
                attributes ? try probe.classifyAttributes(train: train, test: test, progress: steps).averaged
                    : try probe.classify(train: train, test: test, progress: steps)
            }
            if head == .linear { result.linearAccuracy = outcome.score } else { result.mlpAccuracy = outcome.score }
            steps[part.rawValue] = outcome.steps
        }
        if attributes, !parts.isDisjoint(with: [.knn, .gmm]) {
            progress.note("knn, gmm: skipped, they need class labels rather than attributes")
        } else {
            if parts.contains(.knn) {
                let sweep = try timed(.knn) { _ in try knn.evaluate(train: train, test: test, progress: progress) }
                result.knnAccuracy = sweep.bestAccuracy
                result.knnNeighbors = sweep.bestNeighbors
            }
            if parts.contains(.gmm) {
                let scores = try timed(.gmm) { _ in try cluster(train: train, test: test, progress: progress) }
                result.gmmAccuracy = scores.accuracy
                result.gmmNormalizedMutualInformation = scores.normalizedMutualInformation
                result.gmmAdjustedRandIndex = scores.adjustedRandIndex
            }
        }
        if parts.contains(.style), let style {
            let scored = try timed(.style) { steps in try styleScores(style, probe: "style_views", progress: steps) }
            result.style = scored.scores
            steps.merge(scored.steps) { $1 }
        }
        result.seconds = seconds
        result.probeSteps = steps.isEmpty ? nil : steps
        return result
    }

    /// The style probes' scores on `data` as stored in `eval.json`, keyed `<name>_acc` or `<name>_r2`, with
    /// their steps keyed `<probe>_binary` and `<probe>_continuous`.
    ///
    /// `eval.json` holds fractions, so an R² below 0 (worse than predicting the mean) is stored as 0. `progress`
    /// receives the steps of the probe in training, now and then.
    ///
    /// - Throws: `EvaluationError` for anything the style probes reject.
    func styleScores(_ data: StyleData, probe: String, progress: (_ steps: Int) -> Void = { _ in }) throws
        -> ProbeScores {
        var scored = ProbeScores()
        for score in try styleProbe.evaluate(data, progress: progress) {
            scored.scores[score.key] = Swift.min(1, Swift.max(0, score.value))
            scored.steps["\(probe)_\(score.target.kind.rawValue)"] = score.steps
        }
        return scored
    }

    /// Fits one component per class on the training representations and scores the test predictions.
    private func cluster(train: (representations: Tensor, labels: Tensor),
                         test: (representations: Tensor, labels: Tensor),
                         progress: WorkProgress) throws -> ClusteringScores {
        let trainLabels = try RepresentationChecks.classLabels(train.labels, rows: train.representations.size(0),
                                                               "training split")
        let testLabels = try RepresentationChecks.classLabels(test.labels, rows: test.representations.size(0),
                                                              "test split")
        let mixture = GaussianMixture(components: RepresentationChecks.classCount(trainLabels),
                                      covarianceType: covarianceType, restarts: gmmRestarts, seed: seed)
        let predictions = try mixture.fit(train.representations, progress: progress).predict(test.representations)
        return try ClusteringScores(labels: testLabels.scalars(as: Int64.self).map(Int.init),
                                    predictions: predictions.scalars(as: Int64.self).map(Int.init))
    }

    /// The protocol's settings as stored in the result.
    var evaluationSettings: [String: String] {
        probeSettings.recorded.merging([
            "knn_metric": knn.metric.rawValue, "knn_k_max": "\(knn.maxNeighbors)",
            "gmm_covariance": covarianceType.rawValue, "gmm_restarts": "\(gmmRestarts)", "gmm_fit_on": "train",
            "style_head": styleProbe.settings.head.rawValue,
        ]) { $1 }
    }
}
