import Foundation
import SimVAEData
import Torch

/// A run's model restored from its checkpoint, in evaluation mode.
public struct TrainedModel {
    public let configuration: TrainingConfiguration
    public let model: any Objective
    public let dataset: Dataset
    /// Completed epochs and steps of the checkpoint.
    public let epoch: Int, step: Int

    /// Rebuilds the model a run folder describes and loads its last checkpoint.
    /// - Throws: a sentence naming the folder when it holds no finished epoch or the checkpoint does not fit.
    public init(run: RunDirectory) throws {
        configuration = try run.readConfiguration()
        guard let dataset = Dataset(rawValue: configuration.dataset) else {
            throw ConfigurationError("\(run.configuration.path) names an unknown dataset '\(configuration.dataset)'")
        }
        self.dataset = dataset
        guard run.hasCheckpoint else {
            throw ConfigurationError("\(run.url.path) has no checkpoint yet: train at least one epoch first")
        }
        let shape = try TrainedModel.imageShape(of: dataset, configuration: configuration)
        model = try ModelFactory.make(configuration, imageShape: shape)
        (epoch, step) = try Checkpoint.restore(model: model, optimizer: nil, from: run.checkpoint)
        model.eval()
    }

    /// [C, H, W] of the dataset's images, read from one test image.
    static func imageShape(of dataset: Dataset, configuration: TrainingConfiguration) throws -> [Int] {
        let probe = try DatasetLoader.load(dataset, split: .test, dataDirectory: configuration.dataDirectory, limit: 1)
        return [probe.channels, probe.height, probe.width]
    }
}
