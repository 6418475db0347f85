import SimVAEMethods
import Torch

/// Measures the machine's matmul peak and the training step of the paper's MLP SimVAE.
public enum TrainStepBenchmark {
    /// GFLOP/s of a float32 n×n×n matrix product, best of `repeats`.
    public static func matmulGigaflops(size n: Int = 2048, repeats: Int = 5) -> Double {
        let a = Tensor.rand([n, n]), b = Tensor.rand([n, n])
        _ = a.matmul(b)
        let seconds = Stopwatch.best(of: repeats) { _ = a.matmul(b) }
        return 2 * Double(n * n * n) / seconds / 1e9
    }

    /// The result of timing training steps, each figure the median over the measuring rounds.
    public struct Measurement: Sendable {
        /// Images per second through forward, backward and the optimizer step.
        public let imagesPerSecond: Double
        /// GFLOP/s of the 2048³ float32 matrix product (best of 3 in each round).
        public let matmulGigaflops: Double
        /// The step's model GFLOP/s as a fraction of the matrix-product peak measured just before it.
        public let fractionOfPeak: Double
        /// Milliseconds per step in the forward pass with the loss, in the backward pass, and in the optimizer.
        public let forwardMilliseconds: Double, backwardMilliseconds: Double, optimizerMilliseconds: Double
        /// Model FLOPs one image costs in a step (6 per linear-layer weight).
        public let flopsPerImage: Double
        /// Resident memory before and after the timed steps, in bytes.
        public let residentBytesBefore: Int?, residentBytesAfter: Int?
    }

    /// Times `steps` SimVAE training steps (MLP 784→2000→500→500→20 / 10→500→500→2000→784, Bernoulli
    /// likelihood, exact ELBO_SSL, Adam lr 8e-5 eps 1e-4) on `batchSize` random images in sets of `views`.
    ///
    /// The steps run in `rounds` rounds, each timed right after a measurement of the matrix-product peak, and
    /// every figure is the median over the rounds. On a shared machine a burst of outside load slows one round
    /// down, or both halves of it alike: the median ignores the first, the per-round fraction the second.
    /// `scripts/reference/pytorch_train_step.py` measures PyTorch the same way.
    public static func simVAEStep(batchSize: Int = 128, views: Int = 2, steps: Int = 40, rounds: Int = 5,
                                  warmup: Int = 5) -> Measurement {
        Runtime.seed(0)
        let model = SimVAE(encoder: MLP.paperEncoder(inputs: 784, latents: 10),
                           decoder: MLP.paperDecoder(latents: 10, outputs: 784),
                           latents: 10, imageShape: [1, 28, 28], likelihood: .bernoulli)
        let optimizer = Adam(model.parameters(), learningRate: 8e-5, eps: 1e-4)
        let images = Tensor.rand([batchSize, 1, 28, 28])
        // Seconds spent in each phase since the last reset.
        var phases = (forward: 0.0, backward: 0.0, optimizer: 0.0)
        func step() {
            let start = Stopwatch()
            optimizer.zeroGrad()
            let loss = model.loss(images: images, views: views).loss
            let forward = start.elapsed
            loss.backward()
            let backward = start.elapsed
            optimizer.step()
            let total = start.elapsed
            phases.forward += forward
            phases.backward += backward - forward
            phases.optimizer += total - backward
        }
        for _ in 0..<warmup { step() }
        let flopsPerImage = modelFlopsPerImage(of: model)
        let before = ResidentMemory.current
        let roundCount = Swift.max(1, Swift.min(rounds, steps))
        let measured = (0..<roundCount).map { round in
            let peak = matmulGigaflops(repeats: 3)
            let count = steps / roundCount + (round < steps % roundCount ? 1 : 0)
            phases = (0, 0, 0)
            let watch = Stopwatch()
            for _ in 0..<count { step() }
            let rate = Double(batchSize * count) / watch.elapsed
            let perStep = 1000 / Double(count)
            return (rate: rate, peak: peak, fraction: rate * flopsPerImage / 1e9 / peak,
                    milliseconds: (forward: phases.forward * perStep, backward: phases.backward * perStep,
                                   optimizer: phases.optimizer * perStep))
        }
        return Measurement(imagesPerSecond: median(measured.map(\.rate)), matmulGigaflops: median(measured.map(\.peak)),
                           fractionOfPeak: median(measured.map(\.fraction)),
                           forwardMilliseconds: median(measured.map(\.milliseconds.forward)),
                           backwardMilliseconds: median(measured.map(\.milliseconds.backward)),
                           optimizerMilliseconds: median(measured.map(\.milliseconds.optimizer)),
                           flopsPerImage: flopsPerImage,
                           residentBytesBefore: before, residentBytesAfter: ResidentMemory.current)
    }

    /// The middle value (the mean of the two middle ones for an even count).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Model FLOPs per image, the usual utilisation convention: 6 per weight of every linear layer (2 forward,
    /// 4 backward for the weight and input gradients). The step skips the first layer's input gradient, which
    /// nothing needs, so it performs about 9 % fewer; the figure is the same yardstick PyTorch's step is
    /// measured with.
    static func modelFlopsPerImage(of model: SimVAE) -> Double {
        model.namedTensors().filter { $0.0.hasSuffix("weight") && $0.1.rank == 2 }
            .reduce(0.0) { $0 + 6 * Double($1.1.size(0) * $1.1.size(1)) }
    }
}
