import Foundation
import Testing
@testable import SimVAEMethods

@Suite struct TrainStepBenchmarkTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(TrainStepBenchmark.median([3, 1, 2]) == 2)
        #expect(TrainStepBenchmark.median([4, 1, 3, 2]) == 2.5)
        #expect(TrainStepBenchmark.median([]).isNaN)
    }

    @Test func phasesAddUpToTheStepAndTheFractionMatchesItsParts() {
        // Consistency only, no speed: the three phases make up a step, and images/s, FLOPs and peak agree.
        let measured = TrainStepBenchmark.simVAEStep(steps: 3, rounds: 3, warmup: 1)
        let phases = measured.forwardMilliseconds + measured.backwardMilliseconds + measured.optimizerMilliseconds
        let stepMilliseconds = 1000 * 128 / measured.imagesPerSecond
        #expect(min(measured.forwardMilliseconds, measured.backwardMilliseconds, measured.optimizerMilliseconds) > 0)
        #expect(abs(phases - stepMilliseconds) < 0.25 * stepMilliseconds)
        // 6 FLOPs per weight of the paper's MLPs: 2 × (784·2000 + 2000·500 + 500·500) + 500·20 + 10·500.
        let weights: Int = 2 * (784 * 2000 + 2000 * 500 + 500 * 500) + 500 * 20 + 10 * 500
        #expect(measured.flopsPerImage == Double(6 * weights))
        let fraction = measured.imagesPerSecond * measured.flopsPerImage / 1e9 / measured.matmulGigaflops
        #expect(measured.fractionOfPeak > 0.5 * fraction && measured.fractionOfPeak < 2 * fraction)
    }
}
