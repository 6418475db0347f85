import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct StyleProbeTests {
    /// Representations whose feature 0 carries the flip bit (±1 plus noise); a second flip bit and a crop scale
    /// are drawn independently, the crop scale also enters feature 1.
    static func views(count: Int, seed: UInt64) -> (representations: Tensor, factors: Tensor) {
        Runtime.seed(seed)
        let encodedFlip = (Tensor.rand([count]) .< 0.5).float
        let hiddenFlip = (Tensor.rand([count]) .< 0.5).float
        let scale = Tensor.rand([count]) * 0.9 + 0.1
        let noise = Tensor.randn([count, 4]) * 0.3
        let features = Tensor.stack([encodedFlip * 2 - 1, scale * 4, Tensor(zeros: [count]), Tensor(zeros: [count])],
                                    dim: 1) + noise
        return (features, Tensor.stack([encodedFlip, hiddenFlip, scale], dim: 1))
    }

    @Test(.drawsFromTheRandomGenerator) func anEncodedFlipBitIsRecoveredAndAHiddenOneScoresChance() throws {
        let data = StyleData(train: Self.views(count: 1500, seed: 1), test: Self.views(count: 1500, seed: 2),
                             targets: [StyleTarget("flip", .binary), StyleTarget("hidden_flip", .binary),
                                       StyleTarget("crop_scale", .continuous)])
        let scores = try StyleProbe(quickProbeSettings(head: .mlp, batchSize: 64))
            .evaluate(data)
        #expect(scores.map(\.key) == ["flip_acc", "hidden_flip_acc", "crop_scale_r2"])
        #expect(scores[0].value >= 0.99)
        #expect(Swift.abs(scores[1].value - 0.5) < 0.05)
        #expect(scores[2].value > 0.9)
    }

    @Test(.drawsFromTheRandomGenerator) func factorColumnsMustMatchTheTargets() {
        let views = Self.views(count: 10, seed: 3)
        let data = StyleData(train: views, test: views, targets: [StyleTarget("flip", .binary)])
        #expect(throws: EvaluationError.unexpectedShape(what: "training style factors", shape: [10, 3],
                                                        expected: "one column per style target (1)")) {
            try StyleProbe().evaluate(data)
        }
    }
}
