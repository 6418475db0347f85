import Foundation
import SimVAEData
import Torch

/// One `simvae train` invocation: prepares the run folder (fresh, resumed or refused), loads the data, builds
/// the model, optimizer and loader, trains, and writes reconstruction and sample grids.
public struct TrainingSession {
    /// What to do when the run folder already holds a run.
    public enum ExistingRun: Sendable {
        /// Refuse with a message (the default).
        case refuse
        /// Continue an unfinished run; leave a finished one as it is.
        case resume
        /// Delete the old run's results and start over.
        case overwrite
    }

    public let configuration: TrainingConfiguration
    public let run: RunDirectory
    public let existing: ExistingRun
    public let progress: ProgressReporter

    public init(configuration: TrainingConfiguration, run: RunDirectory, existing: ExistingRun,
                progress: ProgressReporter = ProgressReporter()) {
        self.configuration = configuration
        self.run = run
        self.existing = existing
        self.progress = progress
    }

    /// Trains to completion and returns the final trainer state.
    @discardableResult
    public func start() throws -> TrainerState {
        try configuration.validate()
        let previous = try inspectFolder()
        if let previous, previous.finished, previous.epoch >= configuration.epochs {
            progress.note("\(run.url.path) already holds a finished run (\(previous.epoch) epochs); reusing it.")
            return previous
        }
        guard let dataset = Dataset(rawValue: configuration.dataset) else {
            throw ConfigurationError("unknown dataset '\(configuration.dataset)'")
        }
        // The data must load before an old run is deleted: a mistyped --data-dir must not cost the old run.
        let images = try DatasetLoader.load(dataset, split: .train, dataDirectory: configuration.dataDirectory,
                                            limit: configuration.limit)
        let pipeline = try pipeline(for: dataset, side: images.height)
        try prepareFolder()
        let imageShape = [images.channels, images.height, images.width]
        Runtime.seed(configuration.seed)
        let model = try ModelFactory.make(configuration, imageShape: imageShape)
        let optimizer = OptimizerFactory.make(configuration, parameters: model.parameters())
        var state: TrainerState?
        if previous != nil, run.hasCheckpoint {
            // The checkpoint's own record wins over trainer.json, which is written just after it.
            var restored = try Checkpoint.restore(model: model, optimizer: optimizer, from: run.checkpoint)
            restored.finished = false
            state = restored
            progress.note("resuming \(run.url.path) after epoch \(restored.epoch) of \(configuration.epochs)")
        }
        let loader = try MultiViewLoader(images: images, setsPerBatch: configuration.setsPerBatch,
                                         views: configuration.views, pipeline: pipeline, seed: configuration.seed)
        try run.write(configuration)
        let trainer = Trainer(configuration: configuration, run: run, model: model, optimizer: optimizer,
                              loader: loader, progress: progress)
        let final = try trainer.train(from: state)
        if let generative = model as? any GenerativeObjective {
            try writePictures(of: generative, images: images)
        }
        return final
    }

    /// The augmentation pipeline named in the configuration.
    private func pipeline(for dataset: Dataset, side: Int) throws -> AugmentationPipeline? {
        switch configuration.augmentation {
        case "paper": return .paper(for: dataset)
        case "paper-horizontal": return .paper(for: dataset, flipAxis: .horizontal)
        case "simclr": return .simclr(imageSide: side)
        case "none": return nil
        default:
            throw ConfigurationError("unknown --augmentation '\(configuration.augmentation)': "
                + "use paper, paper-horizontal, simclr or none")
        }
    }

    /// Applies the existing-run policy without changing anything; returns the state of a run to continue
    /// (nil: a fresh start, or an old run that `overwrite` will delete).
    private func inspectFolder() throws -> TrainerState? {
        guard FileManager.default.fileExists(atPath: run.configuration.path), existing != .overwrite else { return nil }
        let stored = try run.readConfiguration()
        let state = try run.readTrainerState()
        guard existing == .resume else {
            let status = state.map { $0.finished ? "a finished run (\($0.epoch) epochs)" : "an unfinished run (epoch \($0.epoch) of \(stored.epochs))" }
                ?? "a run that has not finished an epoch"
            throw ConfigurationError("\(run.url.path) already holds \(status); pass --resume to continue or reuse "
                + "it, or --force to delete it and start over")
        }
        let changed = configuration.differences(from: stored)
        guard changed.isEmpty else {
            throw ConfigurationError("--resume needs the same options as the run in \(run.url.path); these differ: "
                + changed.joined(separator: ", ") + " (only --epochs and --lr may change)")
        }
        return state ?? TrainerState(epoch: 0, step: 0, trainingSeconds: 0, finished: false)
    }

    /// Creates the run folder, first deleting an old run's results when overwriting.
    private func prepareFolder() throws {
        if existing == .overwrite {
            for url in [run.checkpoint, run.trainerState, run.metrics, run.evaluation, run.representations, run.images,
                        run.decoderCheckpoint] {
                try? FileManager.default.removeItem(at: url)
            }
        }
        try run.create()
    }

    private func writePictures(of model: any GenerativeObjective, images: ImageSet) throws {
        let sample = images.prefix(32)
        let originals = sample.pixelTensor().float / 255
        try ImageExport.writeReconstructions(of: originals,
                                             to: run.images.appendingPathComponent("reconstructions.png").path,
                                             reconstruct: model.reconstruct)
        let samples = withNoGrad { model.sample(count: 64) }
        try ImageExport.writeGrid(samples, to: run.images.appendingPathComponent("samples.png").path)
    }
}
