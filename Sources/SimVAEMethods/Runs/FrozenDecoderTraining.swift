import Foundation
import SimVAEData
import Torch

/// A decoder fitted to a discriminative run's frozen representations, so its reconstructions can be shown
/// like a generative method's (the paper's Figs. 3–4). Same architecture as the generative methods' decoders
/// (`ModelFactory.decoder`); saved as `checkpoints/decoder.safetensors` with the step of the run checkpoint
/// whose representations it learnt from.
public final class FrozenDecoder {
    /// Maps representations [N, zdim] to the likelihood's raw output for one image each.
    public let decoder: any Layer
    /// The run's observation model; the decoder is trained on its negative log-likelihood.
    public let likelihood: Likelihood
    /// [C, H, W] of the images.
    public let imageShape: [Int]

    /// A freshly initialised decoder for a run's configuration (seed libtorch's generator first).
    public init(configuration: TrainingConfiguration, imageShape: [Int]) throws {
        decoder = try ModelFactory.decoder(configuration, imageShape: imageShape)
        likelihood = configuration.likelihood
        self.imageShape = imageShape
    }

    /// The likelihood's raw output for representations [N, zdim], shaped [N, C, H, W].
    public func decode(_ representations: Tensor) -> Tensor {
        decoder(representations).reshaped([representations.size(0)] + imageShape)
    }

    /// Images in [0, 1] decoded from representations.
    public func reconstruct(from representations: Tensor) -> Tensor { likelihood.mean(of: decode(representations)) }

    /// The decoder trained for `trained`'s run, in evaluation mode.
    /// - Throws: a sentence saying to run `simvae train-decoder` when there is none, or when it was trained on
    ///   an older checkpoint of the run.
    public static func load(for trained: TrainedModel) throws -> FrozenDecoder {
        let url = trained.run.decoderCheckpoint
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConfigurationError("\(trained.run.url.path) is a \(trained.configuration.method.name) run "
                + "without a decoder: run `simvae train-decoder --run \(trained.run.url.path)` first")
        }
        let (tensors, metadata) = try SafeTensors.readWithMetadata(url)
        guard metadata["run_step"] == "\(trained.step)" else {
            throw ConfigurationError("\(url.path) was trained on the representations of step "
                + "\(metadata["run_step"] ?? "?"), but the run is now at step \(trained.step): run "
                + "`simvae train-decoder --run \(trained.run.url.path)` again")
        }
        let frozen = try FrozenDecoder(configuration: trained.configuration, imageShape: trained.imageShape)
        do {
            try frozen.decoder.load(stateDict: tensors)
        } catch {
            throw ConfigurationError("\(url.path) does not match this run's decoder: \(error)")
        }
        try Tensor.checking { frozen.decoder.move(to: trained.device) }
        frozen.decoder.eval()
        return frozen
    }

    /// Saves the decoder's tensors with the run checkpoint's step.
    func save(to url: URL, runStep: Int, epochs: Int) throws {
        try SafeTensors.write(decoder.stateDict(), metadata: ["run_step": "\(runStep)", "epochs": "\(epochs)",
                                                              "format": "simvae-frozen-decoder-1"], to: url)
    }
}

/// `simvae train-decoder`: fits a `FrozenDecoder` to a discriminative run's representations with the
/// reconstruction loss only (the likelihood's negative log-likelihood, averaged over images), then writes
/// `images/reconstructions.png`.
///
/// The representations are those of the un-augmented training images (the run's `limit` applies), computed
/// once by the frozen encoder in evaluation mode: the same representations the probes see (PAPER.md §6), so
/// the pictures show what those representations retain. Adam, shuffled mini-batches drawn from the run's seed.
public struct FrozenDecoderTraining {
    /// The discriminative run whose frozen encoder provides the representations; the decoder and its pictures
    /// are saved in it.
    public let run: RunDirectory
    /// Passes over the training images.
    public var epochs: Int
    /// Images per step.
    public var batchSize: Int
    /// Adam's learning rate.
    public var learningRate: Double
    /// Where the encoder, the decoder and the images live.
    public var device: Device
    /// Shows the decoder's training progress.
    public let progress: ProgressReporter

    /// Training of a decoder for the run in `run`; defaults: 10 epochs of 128 images at Adam lr 1e-3.
    public init(run: RunDirectory, epochs: Int = 10, batchSize: Int = 128, learningRate: Double = 1e-3,
                device: Device = .cpu, progress: ProgressReporter = ProgressReporter()) {
        self.run = run
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.device = device
        self.progress = progress
    }

    /// Trains and saves the decoder; returns the mean loss of each epoch.
    /// - Throws: a sentence when the run is generative (it has its own decoder), has no checkpoint, or the
    ///   options are invalid; I/O errors.
    @discardableResult
    public func start() throws -> [Double] {
        guard epochs >= 1 else { throw ConfigurationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ConfigurationError("--batch-size must be at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw ConfigurationError("--lr must be positive, got \(learningRate)")
        }
        let trained = try TrainedModel(run: run, device: device)
        let configuration = trained.configuration
        guard !configuration.method.isGenerative else {
            throw ConfigurationError("\(run.url.path) is a \(configuration.method.name) run, which reconstructs "
                + "with its own decoder; train-decoder is for \(Method.names(of: { !$0.isGenerative })) runs")
        }
        let images = try DatasetLoader.load(trained.dataset, split: .train, dataDirectory: configuration.dataDirectory,
                                            limit: configuration.limit)
        let representations = try Representations.features(of: trained.model, images: images, device: device)
            .features.to(device)
        let pixels = images.pixelTensor().to(device)
        Runtime.seed(configuration.seed)
        let frozen = try FrozenDecoder(configuration: configuration, imageShape: trained.imageShape)
        try Tensor.checking { frozen.decoder.move(to: device) }
        let optimizer = Adam(frozen.decoder.parameters(), learningRate: learningRate)
        frozen.decoder.train()
        var means: [Double] = []
        for epoch in 1...epochs {
            let watch = Stopwatch()
            let order = Tensor.randperm(images.count).to(device)
            // The losses are summed on the device (in float64, as a Double sum would) and read once per epoch.
            var (sum, steps) = (Tensor(zeros: [], dtype: .float64, device: device), 0)
            for start in stride(from: 0, to: images.count, by: batchSize) {
                let rows = order[start..<Swift.min(start + batchSize, images.count)]
                let targets = pixels.indexSelect(dim: 0, rows).float / 255
                optimizer.zeroGrad()
                let loss = frozen.likelihood.negativeLogLikelihood(
                    decoded: frozen.decode(representations.indexSelect(dim: 0, rows)), targets: targets).mean()
                loss.backward()
                optimizer.step()
                sum = sum + loss.detached().double
                steps += 1
            }
            means.append(sum.item / Double(steps))
            progress.note(String(format: "decoder epoch %d/%d: reconstruction loss %.4f in %.1f s", epoch, epochs,
                                 means[means.count - 1], watch.elapsed))
        }
        frozen.decoder.eval()
        try frozen.save(to: run.decoderCheckpoint, runStep: trained.step, epochs: epochs)
        let originals = images.prefix(32).pixelTensor().to(device).float / 255
        try ImageExport.writeReconstructions(of: originals,
                                             to: run.images.appendingPathComponent("reconstructions.png").path) {
            frozen.reconstruct(from: trained.model.representation($0))
        }
        return means
    }
}
