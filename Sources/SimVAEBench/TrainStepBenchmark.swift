import SimVAEMethods
import Torch

/// Measures the machine's matmul peak and the training step of the paper's MLP SimVAE.
public enum TrainStepBenchmark {
    /// The result of timing training steps, each figure the median over the measuring rounds.
    public struct Measurement: Sendable {
        /// Images per second through forward, backward and the optimizer step.
        public let imagesPerSecond: Double
        /// GFLOP/s of the 2048³ matrix product on the step's device and in its precision (best of 3 in each round).
        public let matmulGigaflops: Double
        /// The step's model GFLOP/s as a fraction of the matrix-product peak measured just before it.
        public let fractionOfPeak: Double
        /// Milliseconds per step in the forward pass with the loss, in the backward pass, and in the optimizer.
        public let forwardMilliseconds: Double, backwardMilliseconds: Double, optimizerMilliseconds: Double
        /// Model FLOPs one image costs in a step: three forward passes' worth (6 per weight of a linear layer).
        public let flopsPerImage: Double
        /// Resident memory before and after the timed steps, in bytes.
        public let residentBytesBefore: Int?, residentBytesAfter: Int?
    }

    /// Times `steps` SimVAE training steps on the CPU (MLP 784→2000→500→500→20 / 10→500→500→2000→784,
    /// Bernoulli likelihood, exact ELBO_SSL, Adam lr 8e-5 eps 1e-4) on `batchSize` random images in sets of
    /// `views`, the forward pass autocast to `precision` (the peak is then that type's matrix product).
    ///
    /// Timed by `StepTimer`'s rules; `scripts/reference/pytorch_train_step.py` measures PyTorch the same way.
    public static func simVAEStep(batchSize: Int = 128, views: Int = 2, steps: Int = 40, rounds: Int = 5,
                                  warmup: Int = 5, precision: Precision = .fp32) throws -> Measurement {
        Runtime.seed(0)
        let model = SimVAE(encoder: MLP.paperEncoder(inputs: 784, latents: 10),
                           decoder: MLP.paperDecoder(latents: 10, outputs: 784),
                           latents: 10, imageShape: [1, 28, 28], likelihood: .bernoulli)
        let optimizer = Adam(model.parameters(), learningRate: 8e-5, eps: 1e-4)
        let images = Tensor.rand([batchSize, 1, 28, 28])
        let timer = StepTimer(batchSize: batchSize, steps: steps, rounds: rounds, warmup: warmup, precision: precision)
        return try timer.measure(model, optimizer: optimizer, images: images, views: views,
                                 flopsPerImage: modelFlopsPerImage(of: model))
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
