import Foundation
import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct EvaluationMergingTests {
    /// A full evaluation of a run at epoch 2, step 40, on the first 200 images.
    static let full = EvaluationResult(
        linearAccuracy: 0.8, mlpAccuracy: 0.85, knnAccuracy: 0.9, knnNeighbors: 7, gmmAccuracy: 0.6,
        gmmNormalizedMutualInformation: 0.5, gmmAdjustedRandIndex: 0.4, style: ["flip_acc": 0.7, "hue_r2": 0.2],
        method: "simvae", dataset: "synthetic", seed: 3, epochs: 2, step: 40, limit: 200,
        seconds: ["linear": 1, "knn": 2, "total": 10], settings: ["probe_epochs": "50", "knn_k_max": "20"])

    /// `simvae eval --probes knn,style` on the same checkpoint and limit.
    static let knnAndStyle = EvaluationResult(
        knnAccuracy: 0.92, knnNeighbors: 5, style: ["hue_r2": 0.3, "size_r2": 0.1], method: "simvae",
        dataset: "synthetic", seed: 3, epochs: 2, step: 40, limit: 200, seconds: ["knn": 3, "total": 4],
        settings: full.settings)

    @Test(.drawsFromTheRandomGenerator) func aLaterProbeKeepsTheOtherScoresOfTheSameEvaluation() {
        let (merged, dropped) = Self.full.updated(with: Self.knnAndStyle)
        #expect(dropped.isEmpty)
        var expected = Self.full
        (expected.knnAccuracy, expected.knnNeighbors) = (0.92, 5)
        expected.style = ["flip_acc": 0.7, "hue_r2": 0.3, "size_r2": 0.1]
        expected.seconds = ["linear": 1, "knn": 3, "total": 4]
        #expect(merged == expected)
    }

    @Test(.drawsFromTheRandomGenerator) func scoresOfAnotherCheckpointAreDropped() {
        var resumed = Self.knnAndStyle
        (resumed.epochs, resumed.step) = (4, 80)
        let (result, dropped) = Self.full.updated(with: resumed)
        #expect(result == resumed)
        #expect(dropped == ["checkpoint epoch 2 → 4", "checkpoint step 40 → 80"])
    }

    @Test(.drawsFromTheRandomGenerator) func scoresOfAnotherLimitOrProtocolAreDropped() {
        var whole = Self.knnAndStyle
        whole.limit = nil
        whole.settings?["probe_epochs"] = "10"
        let (result, dropped) = Self.full.updated(with: whole)
        #expect(result == whole)
        #expect(dropped == ["eval limit 200 → all", "eval probe_epochs 50 → 10"])
    }

    @Test(.drawsFromTheRandomGenerator) func probeStepsAreMergedPerProbe() {
        var earlier = Self.full, later = Self.knnAndStyle
        earlier.probeSteps = ["linear": 500, "style_views_binary": 250]
        later.probeSteps = ["style_views_binary": 750]
        #expect(earlier.updated(with: later).result.probeSteps == ["linear": 500, "style_views_binary": 750])
    }

    @Test(.drawsFromTheRandomGenerator) func scoresOfTheFixedEpochProbesAreDroppedByAConvergedEvaluation() {
        // An eval.json written before probes trained to convergence: probe_epochs, no probe_steps.
        let legacy = EvaluationResult(linearAccuracy: 0.7, method: "simvae", dataset: "mnist", seed: 1, epochs: 2,
                                      step: 40, settings: ["probe_epochs": "50", "probe_minimum_steps": "2000"])
        var converged = legacy
        (converged.linearAccuracy, converged.probeSteps) = (0.8, ["linear": 3000])
        converged.settings = Evaluator().evaluationSettings
        let (result, dropped) = legacy.updated(with: converged)
        #expect(result == converged)
        #expect(dropped.contains("eval probe_epochs 50 → none"))
        #expect(dropped.contains("eval probe_max_steps none → 50000"))
    }

    @Test(.drawsFromTheRandomGenerator) func scoresOfAnUnrecordedStepAreNeverMerged() {
        var legacy = Self.full, newer = Self.knnAndStyle
        (legacy.step, newer.step) = (nil, nil)
        #expect(legacy.updated(with: newer).droppedBecause == ["the checkpoint step is not recorded"])
        #expect(legacy.updated(with: Self.knnAndStyle).droppedBecause == ["checkpoint step unknown → 40"])
    }

    @Test(.drawsFromTheRandomGenerator) func savingMergesIntoTheStoredFileAndSaysWhenItDropsScores() throws {
        let url = try temporaryFile("")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try FileManager.default.removeItem(at: url)
        func save(_ result: EvaluationResult) throws -> (saved: EvaluationResult, note: String?) {
            try result.save(to: url, mergingInto: try EvaluationResult.stored(at: url))
        }
        #expect(try EvaluationResult.stored(at: url) == nil)
        #expect(try save(Self.full) == (Self.full, nil))
        let (merged, note) = try save(Self.knnAndStyle)
        #expect(note == nil)
        #expect(merged.linearAccuracy == 0.8 && merged.knnAccuracy == 0.92)
        #expect(try EvaluationResult(contentsOf: url) == merged)

        var resumed = Self.knnAndStyle
        resumed.step = 80
        let replaced = try save(resumed)
        #expect(replaced.saved == resumed)
        #expect(replaced.note == "\(url.path) held the scores of another evaluation (checkpoint step 40 → 80); "
            + "they were dropped and replaced by these.")
        #expect(try EvaluationResult(contentsOf: url) == resumed)
    }

    @Test(.drawsFromTheRandomGenerator) func anInvalidStoredFileIsNamed() throws {
        let url = try temporaryFile(#"{"linear_acc": 80}"#)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: EvaluationError.invalidEntry(source: url.path, key: "linear_acc", value: "80",
                                                     expected: "a fraction in [0, 1]")) {
            try EvaluationResult.stored(at: url)
        }
    }
}
