import Foundation
import SimVAEData
import Torch

/// A run's model restored from its checkpoint, in evaluation mode.
public struct TrainedModel {
    /// The run folder the model was restored from.
    public let run: RunDirectory
    /// The run's validated `config.json`.
    public let configuration: TrainingConfiguration
    /// The objective the configuration describes, with the checkpoint's weights, in evaluation mode.
    public let model: any Objective
    /// The dataset the run trained on.
    public let dataset: Dataset
    /// Completed epochs and steps of the checkpoint.
    public let epoch: Int, step: Int
    /// [C, H, W] of the dataset's images.
    public let imageShape: [Int]
    /// The device the model is on.
    public let device: Device

    /// Rebuilds the model a run folder describes, loads its last checkpoint and moves it to `device`.
    /// - Throws: a sentence naming the folder when it holds no finished epoch or the checkpoint does not fit.
    public init(run: RunDirectory, device: Device = .cpu) throws {
        self.run = run
        self.device = device
        configuration = try run.readConfiguration()
        let dataset = configuration.dataset
        try configuration.checkFolderSplit(recordedIn: run.configuration)
        self.dataset = dataset
        guard run.hasCheckpoint else {
            throw ConfigurationError("\(run.url.path) has no checkpoint yet (\(run.checkpoint.path) does not exist): "
                + "train at least one epoch first")
        }
        imageShape = try TrainedModel.imageShape(of: dataset, configuration: configuration)
        let configuration = configuration, imageShape = imageShape
        do {
            model = try Tensor.checking { try ModelFactory.make(configuration, imageShape: imageShape) }
        } catch let error as ConfigurationError {
            throw ConfigurationError("\(run.configuration.path): \(error)")
        }
        let state = try Checkpoint.restore(model: model, optimizer: nil, from: run.checkpoint)
        (epoch, step) = (state.epoch, state.step)
        try Tensor.checking { model.move(to: device) }
        model.eval()
    }

    /// The width of the model's representations (the latent size).
    public var representationWidth: Int { configuration.latents }

    /// [C, H, W] of the dataset's images, read from one test image.
    static func imageShape(of dataset: Dataset, configuration: TrainingConfiguration) throws -> [Int] {
        let probe = try DatasetLoader.load(dataset, split: .test, dataDirectory: configuration.dataDirectory, limit: 1)
        return [probe.channels, probe.height, probe.width]
    }

    /// Reconstructions of `images` [N, C, H, W] in [0, 1] (on the model's device): the generative model's own, or
    /// for a discriminative run the decoder `simvae train-decoder` fitted to its frozen representations.
    /// - Throws: a sentence when a discriminative run has no (current) decoder.
    public func reconstruct(_ images: Tensor) throws -> Tensor {
        let images = images.to(device)
        if let generative = model as? any GenerativeObjective { return withNoGrad { generative.reconstruct(images) } }
        let frozen = try FrozenDecoder.load(for: self)
        return withNoGrad { frozen.reconstruct(from: model.representation(images)) }
    }

    /// `count` samples from a generative model's prior.
    /// - Throws: a sentence when the run's method has no generative model.
    public func sample(count: Int) throws -> Tensor {
        guard let generative = model as? any GenerativeObjective else {
            throw ConfigurationError("\(run.url.path) is a \(configuration.method.name) run: it has no prior to "
                + "sample from (only \(Method.names(of: \.isGenerative)) runs do)")
        }
        return withNoGrad { generative.sample(count: count) }
    }
}
