import SimVAEData
import SimVAEMethods
import Torch

/// The authors' CIFAR-10 SimVAE training step: their encoder and decoder (`AuthorsEncoder`, `AuthorsDecoder`) on
/// 32×32×3 images, zdim 64, a Gaussian likelihood with log σ_x² = −4.6, the `authors` objective and Adam (lr 8e-5,
/// eps 1e-4), on random images: `batchSize / views` sets (rounded down) of `views` views, as `simvae train` and the
/// authors' code split a batch (128 images for J = 2, 120 for J = 10).
/// `scripts/reference/pytorch_authors_step.py` is the same step in PyTorch, timed by the same rules.
public struct AuthorsStepBenchmark {
    /// The batch size the sets are counted from: a step has `batchSize / views` sets.
    public var batchSize = 128
    /// Views per set, J.
    public var views = 2
    /// Side of the square images: 32 (CIFAR-10) or 64 (CelebA).
    public var imageSize = 32
    /// The latent dimension.
    public var latents = 64
    /// Timed steps, untimed warm-up steps before them, and measuring rounds (see `StepTimer`).
    public var steps = 10, warmup = 2, rounds = 5
    /// Where the step runs.
    public var device: Device = .cpu
    /// The precision of the forward pass (autocast for bf16 and fp16; the backward pass and the update run outside
    /// it, as in training). fp16 is timed without loss scaling, whose cost is one scalar multiply and a check.
    public var precision: Precision = .fp32

    /// The step's settings; see each property for its default.
    public init(batchSize: Int = 128, views: Int = 2, imageSize: Int = 32, latents: Int = 64, steps: Int = 10,
                warmup: Int = 2, rounds: Int = 5, device: Device = .cpu, precision: Precision = .fp32) {
        (self.batchSize, self.views, self.imageSize, self.latents) = (batchSize, views, imageSize, latents)
        (self.steps, self.warmup, self.rounds, self.device, self.precision) = (steps, warmup, rounds, device, precision)
    }

    /// What one configuration measured, with the size of the networks it timed.
    public struct Result: Sendable {
        /// The timing figures.
        public let measurement: TrainStepBenchmark.Measurement
        /// Trainable parameters of the encoder and of the decoder.
        public let encoderParameters: Int, decoderParameters: Int
        /// FLOPs of one image's forward pass through the encoder and the decoder (`ForwardFlops`).
        public let forwardFlopsPerImage: Double
    }

    /// The SimVAE this step trains over `encoder` and `decoder`, on `device`, in training mode.
    public func makeModel(encoder: AuthorsEncoder, decoder: AuthorsDecoder) -> SimVAE {
        let likelihood = Likelihood.gaussian(logVariance: -4.6)
        let model = SimVAE(encoder: encoder, decoder: decoder, latents: latents,
                           imageShape: [3, imageSize, imageSize], likelihood: likelihood,
                           weighting: .authors(logVariance: likelihood.logVariance))
        model.move(to: device)
        return model
    }

    /// Checks the settings, then times the step on seeded networks.
    /// - Throws: `BenchmarkError` for settings the step cannot run with.
    public func run() throws -> Result {
        try validate()
        Runtime.seed(0)
        let encoder = AuthorsEncoder(channels: 3, imageSize: imageSize, outputs: 2 * latents)
        let decoder = AuthorsDecoder(latents: latents, channels: 3, imageSize: imageSize)
        let model = makeModel(encoder: encoder, decoder: decoder)
        let optimizer = Adam(model.parameters(), learningRate: 8e-5, eps: 1e-4)
        let images = Tensor.rand([imagesPerStep, 3, imageSize, imageSize], device: device)
        let forwardFlops = ForwardFlops.of(encoder) + ForwardFlops.of(decoder)
        // The utilisation convention: a training step costs three forward passes (the forward pass, then the
        // gradients of the inputs and of the weights).
        let timer = StepTimer(batchSize: imagesPerStep, steps: steps, rounds: rounds, warmup: warmup, device: device,
                              precision: precision)
        let measurement = try timer.measure(model, optimizer: optimizer, images: images, views: views,
                                            flopsPerImage: 3 * forwardFlops)
        return Result(measurement: measurement, encoderParameters: encoder.parameterCount,
                      decoderParameters: decoder.parameterCount, forwardFlopsPerImage: forwardFlops)
    }

    /// The images one step trains on: whole sets of `views`.
    public var imagesPerStep: Int { batchSize / views * views }

    /// Refuses settings the step cannot run with, naming the setting.
    func validate() throws {
        guard imageSize == 32 || imageSize == 64 else {
            throw BenchmarkError("the authors' networks take 32 or 64 px images, not \(imageSize)")
        }
        guard views >= 2, batchSize >= views else {
            throw BenchmarkError("the authors' step needs at least 2 views and a batch of at least one set, "
                + "got \(views) views and a batch of \(batchSize)")
        }
        guard latents > 0, steps > 0, warmup >= 0, rounds > 0 else {
            throw BenchmarkError("the authors' step needs positive latents, steps and rounds")
        }
        if precision == .fp16 && device == .cpu {
            throw BenchmarkError("the authors' step in fp16 needs a CUDA device; use bf16 or fp32 on the CPU")
        }
        if case .cuda(let index) = device, index >= Device.cudaDeviceCount {
            throw BenchmarkError("\(device) was asked for, but this libtorch sees \(Device.cudaDeviceCount) CUDA GPUs")
        }
    }
}

/// A benchmark setting that cannot be measured, in one sentence.
public struct BenchmarkError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
