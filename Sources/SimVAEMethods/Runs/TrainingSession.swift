import Foundation
import SimVAEData
import Torch

/// One `simvae train` invocation: locks the run folder, decides what to do with what it holds (start, continue,
/// reuse or refuse), loads the data, builds the model, optimizer and loader, trains, and writes reconstruction and
/// sample grids. A refused or failed session leaves the folder's files as they were.
public struct TrainingSession {
    /// What to do when the run folder already holds a run.
    public enum ExistingRun: Sendable {
        /// Refuse with a message (the default).
        case refuse
        /// Continue an unfinished run; leave a finished one as it is; start a new one (saying so) when the folder
        /// holds none.
        case resume
        /// Delete the old run's results and start over.
        case overwrite
    }

    /// The options; `start()` records in them how an image folder is split.
    public private(set) var configuration: TrainingConfiguration
    /// The run folder trained in; it is locked while the session runs.
    public let run: RunDirectory
    /// What to do when `run` already holds a run.
    public let existing: ExistingRun
    /// The device and precision to train with (not part of the configuration: a run may continue elsewhere).
    public let compute: ComputeSettings
    /// Shows training progress.
    public let progress: ProgressReporter
    /// Builds the online monitor from the training images, for runs whose `monitorEvery` is not `off`; nil for
    /// no monitor.
    public var monitorFactory: TrainingMonitorFactory?
    /// Formats the metrics are also written in, beside `metrics.jsonl` (a runtime choice, like the device).
    public var metricsFormats: Set<MetricsFormat> = []
    /// The group this process is one rank of, when training across processes: every rank trains its share of each
    /// batch; rank 0 alone locks and writes the run folder, and decides what to do with what it holds.
    public var group: ProcessGroup?

    /// A session training `configuration` in `run` with `compute`; nothing happens until `start()`.
    public init(configuration: TrainingConfiguration, run: RunDirectory, existing: ExistingRun,
                compute: ComputeSettings = .cpu, progress: ProgressReporter = ProgressReporter()) {
        self.configuration = configuration
        self.run = run
        self.existing = existing
        self.compute = compute
        self.progress = progress
    }

    /// Trains to completion and returns the final trainer state.
    /// - Throws: `ConfigurationError` for options or a folder it cannot use, `DivergenceError`,
    ///   `TrainingInterrupted`, data and I/O errors; the checkpoint on disk is whole in every case.
    @discardableResult
    public func start() throws -> TrainerState {
        try configuration.validate()
        var session = self
        session.configuration = try configuration.recordingFolderSplit()
        guard writesRun else { return try session.train() }
        let folderExisted = FileManager.default.fileExists(atPath: run.url.path)
        let lock = try RunLock(run)
        do {
            return try withExtendedLifetime(lock) { try session.train() }
        } catch {
            if !folderExisted { run.removeIfOnlyTheLockIsLeft() }
            throw error
        }
    }

    private func train() throws -> TrainerState {
        let plan = try agreedPlan()
        if case .reuse(let state) = plan { return state }
        let dataset = configuration.dataset
        // The data must load before an old run is deleted: a mistyped --data-dir must not cost the old run.
        let images = try DatasetLoader.load(dataset, split: .train, dataDirectory: configuration.dataDirectory,
                                            limit: configuration.limit)
        if let group, configuration.setsPerBatch % group.worldSize != 0 {
            throw ConfigurationError("--batch-size \(configuration.batchSize) holds \(configuration.setsPerBatch) sets of "
                + "\(configuration.views) views, which do not split evenly over \(group.worldSize) ranks (--nproc or "
                + "WORLD_SIZE): choose a multiple of \(configuration.views * group.worldSize) images")
        }
        let pipeline = configuration.augmentation.pipeline(for: dataset, side: images.height)
        let loader = try MultiViewLoader(images: images, setsPerBatch: configuration.setsPerBatch,
                                         views: configuration.views, pipeline: pipeline, seed: configuration.seed,
                                         device: compute.device,
                                         shard: group.map { .init(index: $0.rank, count: $0.worldSize) })
        let imageShape = [images.channels, images.height, images.width]
        Runtime.seed(configuration.seed)
        let model: any Objective
        do {
            model = try Tensor.checking { try ModelFactory.make(configuration, imageShape: imageShape) }
        } catch let error as ConfigurationError where plan != .fresh {
            // The options came from the run's config.json.
            throw ConfigurationError("\(run.configuration.path): \(error)")
        }
        try Tensor.checking {
            model.move(to: compute.device)
            if compute.channelsLast { model.convertToChannelsLast() }
        }
        let optimizer = OptimizerFactory.make(configuration, parameters: model.parameters())
        var state: TrainerState?
        if case .continue = plan {
            // The checkpoint's own record wins over trainer.json, which is written just after it.
            var restored = try Checkpoint.restore(model: model, optimizer: optimizer, from: run.checkpoint)
            guard restored.step == restored.epoch * loader.batchesPerEpoch else {
                throw ConfigurationError("\(run.checkpoint.path) records \(restored.step) steps after epoch "
                    + "\(restored.epoch), but this run takes \(loader.batchesPerEpoch) steps an epoch: it is not "
                    + "this run's checkpoint; pass --force to start over")
            }
            restored.finished = false
            state = restored
            progress.note("resuming \(run.url.path) after epoch \(restored.epoch) of \(configuration.epochs)")
        }
        var metrics: MetricsWriter?
        if writesRun {
            if case .overwrite = plan { run.removeResults() }
            try run.create()
            // The log is checked (and cut back to the checkpoint) before config.json records any new option.
            metrics = try MetricsWriter(url: run.metrics,
                                        keepingStepsThrough: state.flatMap { $0.epoch > 0 ? $0.step : nil },
                                        formats: metricsFormats)
            try run.write(configuration)
        }
        let trainer = Trainer(configuration: configuration, run: run, model: model, optimizer: optimizer,
                              loader: loader, schedule: configuration.learningRateSchedule(
                                  stepsPerEpoch: loader.batchesPerEpoch), compute: compute, progress: progress)
        trainer.dataParallel = group.map { DataParallel(group: $0, parameters: model.parameters()) }
        if let monitorFactory, configuration.monitorEvery != .off, writesRun {
            trainer.monitor = try monitorFactory(images)
        }
        let final = try trainer.train(from: state, metrics: metrics)
        if writesRun, let generative = model as? any GenerativeObjective {
            try writePictures(of: generative, images: images)
        }
        return final
    }

    private func writePictures(of model: any GenerativeObjective, images: ImageSet) throws {
        let sample = images.prefix(32)
        let originals = sample.pixelTensor().to(compute.device).float / 255
        try ImageExport.writeReconstructions(of: originals, to: run.pictures[0].path, reconstruct: model.reconstruct)
        let samples = withNoGrad { model.sample(count: 64) }
        try ImageExport.writeGrid(samples, to: run.pictures[1].path)
    }
}

/// What a training session does with its run folder, decided from the folder's files before anything changes.
enum RunPlan: Equatable {
    /// Nothing to continue: train from the first epoch.
    case fresh
    /// Delete the old run's results, then train from the first epoch.
    case overwrite
    /// Continue from the checkpoint.
    case `continue`
    /// The run is already trained as far as asked: nothing to do.
    case reuse(TrainerState)

    /// Applies the session's existing-run policy to what the folder holds.
    /// - Throws: a sentence when the folder holds a run the policy refuses, or one that cannot be continued
    ///   (files missing or disagreeing, a damaged checkpoint, other options).
    init(for session: TrainingSession) throws {
        let (run, configuration, progress) = (session.run, session.configuration, session.progress)
        let manager = FileManager.default
        let hasConfiguration = manager.fileExists(atPath: run.configuration.path)
        let hasTrainerState = manager.fileExists(atPath: run.trainerState.path)
        if session.existing == .overwrite {
            self = hasConfiguration || run.hasCheckpoint || hasTrainerState ? .overwrite : .fresh
            return
        }
        guard hasConfiguration else {
            if run.hasCheckpoint || hasTrainerState {
                throw ConfigurationError("\(run.url.path) holds a checkpoint or trainer.json but no config.json, so "
                    + "it cannot be continued: restore config.json, or pass --force to delete the run and start over")
            }
            if session.existing == .resume {
                progress.note("\(run.url.path) holds no run yet: starting a new one")
            }
            self = .fresh
            return
        }
        let stored = try run.readConfiguration()
        let recorded = try run.readTrainerState()
        let checkpointState = run.hasCheckpoint ? try Checkpoint.recordedState(of: run.checkpoint) : nil
        guard session.existing == .resume else {
            let status = checkpointState.map {
                $0.finished ? "a finished run (\($0.epoch) epochs)"
                    : "an unfinished run (epoch \($0.epoch) of \(stored.epochs))"
            } ?? "a run that has not finished an epoch"
            throw ConfigurationError("\(run.url.path) already holds \(status); pass --resume to continue or reuse "
                + "it, or --force to delete it and start over")
        }
        let changed = configuration.differences(from: stored)
        guard changed.isEmpty else {
            throw ConfigurationError("--resume needs the same options as the run in \(run.url.path); these differ: "
                + changed.joined(separator: ", ") + " (only --epochs and --lr may change)")
        }
        guard let checkpointState else {
            if let recorded, recorded.epoch > 0 {
                throw ConfigurationError("\(run.trainerState.path) records \(recorded.epoch) finished epochs but "
                    + "\(run.checkpoint.path) is missing: the run cannot be continued; pass --force to start over")
            }
            progress.note("\(run.url.path) has not finished an epoch yet: starting it from the beginning")
            self = .fresh
            return
        }
        // trainer.json is written just after the checkpoint, so it may lag one epoch behind it, never lead.
        if let recorded, !recorded.mayTrail(checkpointState) {
            throw ConfigurationError("\(run.trainerState.path) records epoch \(recorded.epoch) (step \(recorded.step)) "
                + "but \(run.checkpoint.path) holds epoch \(checkpointState.epoch) (step \(checkpointState.step)): the "
                + "files disagree; pass --force to start over")
        }
        // A run killed after its last checkpoint, before trainer.json or its pictures, is completed, not reused.
        let completed = recorded?.epoch == checkpointState.epoch && recorded?.step == checkpointState.step
            && (!configuration.method.isGenerative || run.hasPictures)
        if checkpointState.epoch >= configuration.epochs, completed {
            // Fit the whole checkpoint (model and optimizer state) before calling the run usable.
            let trained = try TrainedModel(run: run)
            let optimizer = OptimizerFactory.make(configuration, parameters: trained.model.parameters())
            try Checkpoint.restore(model: trained.model, optimizer: optimizer, from: run.checkpoint)
            progress.note("\(run.url.path) already holds a run trained for \(checkpointState.epoch) epochs; "
                + "reusing it.")
            self = .reuse(checkpointState)
            return
        }
        self = .continue
    }
}

extension TrainerState {
    /// Whether `trainer.json` holding this state may accompany a checkpoint recording `checkpoint`: the same
    /// state, or the previous epoch's (a process killed between the two writes).
    func mayTrail(_ checkpoint: TrainerState) -> Bool {
        (epoch == checkpoint.epoch && step == checkpoint.step)
            || (epoch == checkpoint.epoch - 1 && step < checkpoint.step)
    }
}

extension RunDirectory {
    /// Deletes an old run's results before a fresh start (`--force`).
    func removeResults() {
        for url in [checkpoint, trainerState, metrics, evaluation, representations, images, decoderCheckpoint] {
            try? FileManager.default.removeItem(at: url)
        }
    }

    /// Removes a folder this session created when nothing but its lock file is in it (a refused or failed start).
    func removeIfOnlyTheLockIsLeft() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: url.path),
              names.allSatisfy({ $0 == lockFile.lastPathComponent })
        else { return }
        try? manager.removeItem(at: url)
    }
}

extension TrainingConfiguration {
    /// The configuration with `folderSplit` set to how its image folder is split (unchanged for other datasets).
    /// - Throws: `DataError` when the folder cannot be found.
    func recordingFolderSplit() throws -> TrainingConfiguration {
        guard dataset == .folder else { return self }
        var recorded = self
        guard let folder = try DataLocator.locate(.folder, dataDirectory: dataDirectory) else { return self }
        recorded.folderSplit = try ImageFolder.split(of: folder).description
        return recorded
    }

    /// Checks that an image folder is still split as it was when the run trained, so that its test images are
    /// still images it never trained on.
    /// - Throws: a sentence naming `file` (the run's `config.json`) when the split changed or was never recorded.
    func checkFolderSplit(recordedIn file: URL) throws {
        guard dataset == .folder else { return }
        let now = try recordingFolderSplit().folderSplit
        guard let folderSplit else {
            throw ConfigurationError("\(file.path) records no \"folder_split\": the run was trained before image "
                + "folders had a test split, on every image, so its test scores would be scores on training images; "
                + "train it again")
        }
        guard folderSplit == now else {
            throw ConfigurationError("\(file.path) records the image folder split \"\(folderSplit)\", but the folder is "
                + "now split \"\(now ?? "")\": its test images are not the ones the run held out")
        }
    }
}
