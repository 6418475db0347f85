import Foundation
import SimVAEMethods
import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct EvaluatorTests {
    static let centres: [[Double]] = [[0, 0, 0], [6, 0, 0], [0, 6, 0]]

    static func quickEvaluator() -> Evaluator {
        var evaluator = Evaluator(seed: 1)
        evaluator.probeSettings = quickProbeSettings()
        evaluator.styleProbe.settings = quickProbeSettings(head: .mlp)
        evaluator.gmmRestarts = 2
        return evaluator
    }

    @Test(.drawsFromTheRandomGenerator) func runsEveryPartAndReportsScoresSecondsAndSettings() throws {
        let train = gaussianClasses(Self.centres, count: 600, seed: 2)
        let test = gaussianClasses(Self.centres, count: 300, seed: 3)
        let style = StyleData(train: (train.representations, (train.representations.narrowed(dim: 1, start: 0, length: 1) .> 0).float),
                              test: (test.representations, (test.representations.narrowed(dim: 1, start: 0, length: 1) .> 0).float),
                              targets: [StyleTarget("sign", .binary)])
        var lines: [String] = []
        var stages: [String: (done: Int, total: Int?)] = [:]
        let progress = WorkProgress(note: { lines.append($0) }, advance: { stages[$0] = ($1, $2) })
        let result = try Self.quickEvaluator().evaluate(train: train, test: test, style: style, progress: progress)
        for score in [result.linearAccuracy, result.mlpAccuracy, result.knnAccuracy, result.gmmAccuracy] {
            #expect((score ?? 0) > 0.95)
        }
        #expect(result.knnNeighbors.map { (1...20).contains($0) } == true)
        #expect((result.style?["sign_acc"] ?? 0) > 0.9)
        #expect(Set(result.seconds?.keys.map { $0 } ?? []) == ["linear", "mlp", "knn", "gmm", "style"])
        #expect(result.settings?["probe_max_steps"] == "3000" && result.settings?["probe_patience"] == "3")
        #expect(Set(result.probeSteps?.keys.map { $0 } ?? []) == ["linear", "mlp", "style_views_binary"])
        #expect(result.probeSteps?.values.allSatisfy { (1...3000).contains($0) } == true)
        #expect(result.settings?["gmm_fit_on"] == "train")
        for part in ["linear", "mlp", "knn", "gmm", "style"] {
            #expect(lines.contains { $0.hasPrefix("\(part): done in") }, "\(lines)")
        }
        // Every part reports how far it has got; the kNN and the mixture know their totals and reach them.
        #expect(stages["kNN (euclidean), test samples"].map { $0.done == 300 && $0.total == 300 } == true, "\(stages)")
        #expect(stages["GMM (EM), restarts converged"].map { $0.total == $0.done } == true, "\(stages)")
        #expect((stages["linear probe steps"]?.done ?? 0) > 0 && (stages["style probe steps"]?.done ?? 0) > 0)
        _ = try result.jsonData()
    }

    @Test(.drawsFromTheRandomGenerator) func attributeLabelsRunTheProbesAndSkipKNNAndClustering() throws {
        let train = gaussianClasses(Self.centres, count: 300, seed: 4)
        let test = gaussianClasses(Self.centres, count: 100, seed: 5)
        let attributes = { (points: Tensor) in 
            Tensor.stack([points.selected(dim: 1, index: 0) .> 3, points.selected(dim: 1, index: 1) .> 3], dim: 1).float
         }
        let result = try Self.quickEvaluator().evaluate(
            train: (train.representations, attributes(train.representations)), test: (test.representations, attributes(test.representations)),
            parts: [.linear, .knn, .gmm])
        #expect((result.linearAccuracy ?? 0) > 0.9)
        #expect(result.knnAccuracy == nil && result.gmmAccuracy == nil)
    }

    @Test(.drawsFromTheRandomGenerator) func styleWithoutStyleDataThrows() {
        let train = gaussianClasses(Self.centres, count: 30, seed: 6)
        #expect(throws: EvaluationError.self) {
            try Evaluator().evaluate(train: train, test: train, parts: [.style])
        }
    }

    @Test(.drawsFromTheRandomGenerator) func anRSquaredBelowZeroIsStoredAsZero() throws {
        Runtime.seed(7)
        let points = Tensor.randn([400, 2])
        let factor = points.narrowed(dim: 1, start: 0, length: 1)
        // The test split reverses the relation the probe learns: its R² is far below 0.
        let style = StyleData(train: (points[0..<300], factor[0..<300]), test: (points[300..<400], -factor[300..<400]),
                              targets: [StyleTarget("reversed", .continuous)])
        #expect(try StyleProbe(Self.quickEvaluator().styleProbe.settings).evaluate(style)[0].value < -1)
        let scored = try Self.quickEvaluator().styleScores(style, probe: "reversed_views")
        #expect(scored.scores == ["reversed_r2": 0])
        #expect(scored.steps.keys.map { $0 } == ["reversed_views_continuous"])
    }
}
