import SimVAEMethods
import TestSupport
import Testing
@testable import SimVAEBench

/// The authors' step benchmark builds the networks it claims and runs; its speed belongs to `simvae bench`.
@Suite(.serialized, .drawsFromTheRandomGenerator) struct AuthorsStepBenchmarkTests {
    /// PyTorch's count for the same networks: forward hooks on every convolution, transposed convolution and
    /// linear layer, 2 FLOPs per multiply-add (`forward_flops_per_image` in scripts/reference/pytorch_authors_step.py,
    /// zdim 64, torch 2.15 and 1.13 alike).
    @Test(.drawsFromTheRandomGenerator, arguments: [(32, 340_749_824.0), (64, 1_379_291_136.0)])
    func forwardFlopsMatchPyTorchsCount(imageSize: Int, pytorchFlops: Double) {
        let encoder = AuthorsEncoder(channels: 3, imageSize: imageSize, outputs: 128)
        let decoder = AuthorsDecoder(latents: 64, channels: 3, imageSize: imageSize)
        #expect(ForwardFlops.of(encoder) + ForwardFlops.of(decoder) == pytorchFlops)
    }

    @Test(.drawsFromTheRandomGenerator) func oneTinyStepRunsOnTheAuthorsNetworks() throws {
        let benchmark = AuthorsStepBenchmark(batchSize: 5, views: 2, steps: 1, warmup: 0, rounds: 1)
        #expect(benchmark.imagesPerStep == 4)
        let result = try benchmark.run()
        #expect(result.encoderParameters == 969_920)
        #expect(result.decoderParameters == 8_984_393)
        #expect(result.forwardFlopsPerImage == 340_749_824)
        let step = result.measurement
        #expect(step.flopsPerImage == 3 * result.forwardFlopsPerImage)
        #expect(step.imagesPerSecond.isFinite && step.imagesPerSecond > 0)
        #expect(step.forwardMilliseconds > 0 && step.backwardMilliseconds > 0 && step.optimizerMilliseconds > 0)
        #expect(step.fractionOfPeak > 0)
    }

    @Test(.drawsFromTheRandomGenerator) func refusesSettingsItCannotRun() {
        let refused = [AuthorsStepBenchmark(views: 1), AuthorsStepBenchmark(batchSize: 3, views: 4),
                       AuthorsStepBenchmark(imageSize: 48), AuthorsStepBenchmark(steps: 0),
                       AuthorsStepBenchmark(precision: .fp16), AuthorsStepBenchmark(device: .cuda(64))]
        for benchmark in refused {
            #expect(throws: BenchmarkError.self) { try benchmark.validate() }
        }
        #expect(throws: Never.self) { try AuthorsStepBenchmark(views: 10).validate() }
        #expect(throws: Never.self) { try AuthorsStepBenchmark(precision: .bf16).validate() }
    }
}
