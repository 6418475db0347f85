import Foundation
import SimVAEMethods
import TestSupport
import Testing
@testable import SimVAEBench

/// The benchmark's arithmetic only: its speed figures belong to `simvae bench`, not to a unit test.
@Suite(.serialized, .drawsFromTheRandomGenerator) struct TrainStepBenchmarkTests {
    @Test(.drawsFromTheRandomGenerator) func medianOfOddAndEvenCounts() {
        #expect(TrainStepBenchmark.median([3, 1, 2]) == 2)
        #expect(TrainStepBenchmark.median([4, 1, 3, 2]) == 2.5)
        #expect(TrainStepBenchmark.median([]).isNaN)
    }

    @Test(.drawsFromTheRandomGenerator) func modelFlopsCountSixPerWeightOfThePapersNetworks() {
        let model = SimVAE(encoder: MLP.paperEncoder(inputs: 784, latents: 10),
                           decoder: MLP.paperDecoder(latents: 10, outputs: 784),
                           latents: 10, imageShape: [1, 28, 28], likelihood: .bernoulli)
        // 2 × (784·2000 + 2000·500 + 500·500) + 500·20 + 10·500 weights, 6 FLOPs each.
        let weights: Int = 2 * (784 * 2000 + 2000 * 500 + 500 * 500) + 500 * 20 + 10 * 500
        #expect(TrainStepBenchmark.modelFlopsPerImage(of: model) == Double(6 * weights))
    }
}
