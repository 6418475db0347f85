import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ScheduleTests {
    @Test(.drawsFromTheRandomGenerator) func constantAndWarmup() {
        #expect(LearningRateSchedule.constant.learningRate(at: 1234, base: 0.3) == 0.3)
        let warmup = LearningRateSchedule.linearWarmup(warmupSteps: 4)
        #expect((0..<6).map { warmup.learningRate(at: $0, base: 1) } == [0.25, 0.5, 0.75, 1, 1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func cosine() {
        let cosine = LearningRateSchedule.cosine(totalSteps: 100)
        expectClose([0, 50, 100, 150].map { cosine.learningRate(at: $0, base: 2) }, [2, 1, 0, 0], atol: 1e-12)
        expectClose([cosine.learningRate(at: 25, base: 2)], [1 + Foundation.cos(Double.pi / 4)], atol: 1e-12)
        let warm = LearningRateSchedule.cosine(totalSteps: 110, warmupSteps: 10, floor: 0.1)
        expectClose([0, 4, 9, 10, 60, 110].map { warm.learningRate(at: $0, base: 1) },
                    [0.1, 0.5, 1, 1, 0.55, 0.1], atol: 1e-12)
    }
}
