import Foundation
import Torch

/// The folder of one training run: `config.json`, `metrics.jsonl`, `checkpoints/last.safetensors`,
/// `trainer.json`, `images/`, and later `eval.json`, `report.html` and, for discriminative runs,
/// `checkpoints/decoder.safetensors`.
public struct RunDirectory: Sendable {
    /// The run folder.
    public let url: URL

    /// The run folder at `path` (a relative path is taken from the working directory); nothing is created.
    public init(path: String) { url = URL(fileURLWithPath: path, isDirectory: true) }

    /// `config.json`: the run's resolved `TrainingConfiguration`.
    public var configuration: URL { url.appendingPathComponent("config.json") }
    /// `metrics.jsonl`: one JSON object per logged step and one per completed epoch.
    public var metrics: URL { url.appendingPathComponent("metrics.jsonl") }
    /// `checkpoints/last.safetensors`: model, optimizer and random generator state at the last completed epoch.
    public var checkpoint: URL { url.appendingPathComponent("checkpoints/last.safetensors") }
    /// The decoder `simvae train-decoder` fitted to a discriminative run's frozen representations.
    public var decoderCheckpoint: URL { url.appendingPathComponent("checkpoints/decoder.safetensors") }
    /// `trainer.json`: the `TrainerState` of the last checkpoint.
    public var trainerState: URL { url.appendingPathComponent("trainer.json") }
    /// `images/`: the reconstruction and sample grids.
    public var images: URL { url.appendingPathComponent("images", isDirectory: true) }
    /// `eval.json`: the evaluation's scores.
    public var evaluation: URL { url.appendingPathComponent("eval.json") }
    /// `representations.safetensors`: the cached `Representations` of a checkpoint.
    public var representations: URL { url.appendingPathComponent("representations.safetensors") }

    /// Creates the folder and its `checkpoints/` and `images/` subfolders.
    public func create() throws {
        for folder in [url, checkpoint.deletingLastPathComponent(), images] {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw ConfigurationError("cannot create \(folder.path): \(error.localizedDescription)")
            }
        }
    }

    /// The reconstruction and sample grids a generative run ends with.
    var pictures: [URL] { ["reconstructions.png", "samples.png"].map { images.appendingPathComponent($0) } }

    /// Whether both pictures exist.
    var hasPictures: Bool { pictures.allSatisfy { FileManager.default.fileExists(atPath: $0.path) } }

    /// Whether a checkpoint exists.
    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpoint.path) }

    /// Writes `config.json` atomically (snake_case keys, sorted).
    public func write(_ configuration: TrainingConfiguration) throws {
        try AtomicFile.write(RunDirectory.encoder.encode(configuration), to: self.configuration)
    }

    /// Reads and validates `config.json`.
    /// - Throws: a sentence naming the file and the key when it is missing, not JSON, or holds a value
    ///   `simvae train` would refuse.
    public func readConfiguration() throws -> TrainingConfiguration {
        guard let data = try RunDirectory.contents(of: configuration) else {
            throw ConfigurationError("\(url.path) is not a run folder: \(configuration.lastPathComponent) is missing")
        }
        let stored: TrainingConfiguration
        do {
            stored = try RunDirectory.decoder.decode(TrainingConfiguration.self, from: data)
        } catch {
            throw RunFileError.describe(error, in: configuration)
        }
        try stored.validate(.file(configuration))
        return stored
    }

    /// Reads and validates `trainer.json`, or nil when the run has not finished an epoch yet.
    public func readTrainerState() throws -> TrainerState? {
        guard let data = try RunDirectory.contents(of: trainerState) else { return nil }
        let state: TrainerState
        do {
            state = try RunDirectory.decoder.decode(TrainerState.self, from: data)
        } catch {
            throw RunFileError.describe(error, in: trainerState)
        }
        try state.validate(.file(trainerState))
        return state
    }

    /// The bytes of a run file, or nil when there is no such file.
    /// - Throws: a sentence naming the file when something else is in its place (a folder) or it cannot be read.
    static func contents(of file: URL) throws -> Data? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else { return nil }
        guard !isFolder.boolValue else { throw ConfigurationError("\(file.path) is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ConfigurationError("\(file.path) cannot be read")
        }
        return data
    }

    /// Writes `trainer.json` atomically.
    public func write(_ state: TrainerState) throws {
        try AtomicFile.write(RunDirectory.encoder.encode(state), to: trainerState)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}

/// Epochs trained on one device in one precision, from `firstEpoch` until the next segment's first epoch.
public struct TrainingSegment: Codable, Equatable, Sendable {
    /// The first epoch of the segment (1-based).
    public var firstEpoch: Int
    /// The device, as `--device` names it (`cpu`, `cuda:0`).
    public var device: String
    /// The precision of the forward passes.
    public var precision: Precision
}

/// Where a run stands, written after every completed epoch together with the checkpoint.
public struct TrainerState: Codable, Equatable, Sendable {
    /// Completed epochs.
    public var epoch: Int
    /// Completed optimisation steps.
    public var step: Int
    /// Seconds spent training so far (all sessions).
    public var trainingSeconds: Double
    /// Whether all configured epochs are done.
    public var finished: Bool
    /// The device and precision of each stretch of epochs trained in one setting, oldest first (nil in runs
    /// trained before they were recorded).
    public var segments: [TrainingSegment]?

    /// A state from its fields.
    public init(epoch: Int, step: Int, trainingSeconds: Double, finished: Bool, segments: [TrainingSegment]? = nil) {
        self.epoch = epoch
        self.step = step
        self.trainingSeconds = trainingSeconds
        self.finished = finished
        self.segments = segments
    }

    /// Records that the epochs from the next one on train with `compute`, unless the last segment already has
    /// that device and precision.
    mutating func startSegment(_ compute: ComputeSettings) {
        let segment = TrainingSegment(firstEpoch: epoch + 1, device: compute.device.description,
                                      precision: compute.precision)
        if let last = segments?.last, last.device == segment.device, last.precision == segment.precision { return }
        segments = (segments ?? []) + [segment]
    }

    /// Checks that the counts are possible: no negative epochs or steps, fewer epochs than steps, a finite time.
    /// - Parameter source: the file the state was read from, named in the error.
    func validate(_ source: ConfigurationSource) throws {
        let problem: String? =
            epoch < 0 ? "\"epoch\" must not be negative, got \(epoch)"
            : step < epoch ? "\"step\" (\(step)) must be at least \"epoch\" (\(epoch)): every epoch takes a step"
            : !(trainingSeconds >= 0 && trainingSeconds.isFinite)
                ? "\"training_seconds\" must be a finite number ≥ 0, got \(trainingSeconds)" : nil
        guard let problem else { return }
        switch source {
        case .flags: throw ConfigurationError("the trainer state is impossible: \(problem)")
        case .file(let url): throw ConfigurationError("\(url.path): \(problem)")
        }
    }
}
