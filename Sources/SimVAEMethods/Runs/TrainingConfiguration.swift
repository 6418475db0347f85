import Foundation
import SimVAEData

/// Every option of a training run, resolved (defaults filled in), as written to the run's `config.json`: the
/// options every run has, and the values of its method's own hyperparameters (`options`).
public struct TrainingConfiguration: Equatable, Sendable {
    /// The method trained.
    public var method: Method
    /// The dataset trained on.
    public var dataset: Dataset
    /// The folder holding the dataset's files (`--data-dir`); nil to search `$SIMVAE_DATA` and the standard
    /// places (`DataLocator`).
    public var dataDirectory: String?
    /// Passes over the training images; 0 saves the model as initialised (the random baseline).
    public var epochs: Int
    /// Images per optimisation step (sets × views).
    public var batchSize: Int
    /// Views per set J: every sample appears `views` times in a batch, each copy augmented on its own.
    public var views: Int
    /// zdim (`--zdim`): the size of the latent, which is also the representation's width.
    public var latents: Int
    /// The base learning rate, before the schedule.
    public var learningRate: Double
    /// How the rate moves from step to step after the warm-up (constant in runs older than schedules).
    public var schedule: ScheduleKind
    /// Epochs (a fraction is allowed) of linear warm-up from 0 to the base rate; 0 for none.
    public var warmupEpochs: Double
    /// The recipe the options started from (`authors` in runs older than recipes).
    public var recipe: TrainingRecipe
    /// How often the online kNN monitor measures the representation.
    public var monitorEvery: MonitorInterval
    /// Adam's ε (the paper's 1e-4); LARS ignores it.
    public var adamEps: Double
    /// Seeds initialisation, shuffling, augmentation and sampling.
    public var seed: UInt64
    /// Train on the first `limit` training images only; nil for all of them.
    public var limit: Int?
    /// The encoder and decoder family (the paper's MLP or ResNet-18); the dataset's by default.
    public var architecture: Architecture
    /// The decoder's observation model p(x | z), the dataset's by default; a discriminative run's
    /// `train-decoder` also trains with it.
    public var likelihood: Likelihood
    /// The augmentation preset applied to every view.
    public var augmentation: AugmentationPreset
    /// Steps between lines of `metrics.jsonl`.
    public var logEvery: Int
    /// The optimizer: Adam (all methods by default) or LARS (SimCLR's choice).
    public var optimizer: OptimizerKind
    /// How an image folder (`--dataset folder`) was split into training and test images when the run started
    /// (`ImageFolder.split(of:)`, e.g. "held-out-20%"); nil for the other datasets.
    public var folderSplit: String?
    /// The method's hyperparameters (`Method.hyperparameters`), also reachable by subscript:
    /// `configuration[SimCLR.temperature]`.
    public var options: MethodOptions

    /// Sets per batch: the batch is `batchSize / views` samples × `views` views, as in the authors' code.
    public var setsPerBatch: Int { batchSize / views }

    /// The run's value of one of its method's hyperparameters.
    public subscript<Value>(_ parameter: Hyperparameter<Value>) -> Value {
        get { options[parameter] }
        set { options[parameter] = newValue }
    }
}

/// SimVAE's term weighting presets.
public enum ObjectivePreset: String, Codable, Sendable, CaseIterable {
    /// The exact ELBO_SSL, averaged over sets.
    case exact
    /// The weighting of the authors' released code (see `SimVAEWeighting.authors`).
    case authors
}

/// An invalid option, explained in one sentence.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// The explanation: one sentence naming the flag, key or file at fault.
    public let description: String
    /// An error explained by `description`.
    public init(_ description: String) { self.description = description }
}

extension TrainingConfiguration {
    /// The paper's defaults for a method on a dataset, with the caller's overrides applied afterwards.
    ///
    /// All methods share the dataset's architecture, zdim (the representation size) and likelihood, the batch
    /// size, the augmentations and Adam (lr 8e-5, eps 1e-4), so the comparison is fair. Each method brings its
    /// views per set (SimVAE the paper's 10, methods that compare views pairs, the others 1) and its
    /// hyperparameters' defaults; an untrained method trains 0 epochs.
    public static func defaults(method: Method, dataset: Dataset) -> TrainingConfiguration {
        TrainingConfiguration(
            method: method, dataset: dataset, dataDirectory: nil, epochs: method.family == .untrained ? 0 : 12,
            batchSize: 128, views: method.defaultViews, latents: dataset.defaults.latents, learningRate: 8e-5,
            schedule: .constant, warmupEpochs: 0, recipe: .authors, monitorEvery: .everyEpoch, adamEps: 1e-4,
            seed: 1234, limit: nil, architecture: dataset.defaults.architecture,
            likelihood: dataset.defaults.likelihood, augmentation: .paper, logEvery: 50, optimizer: .adam,
            folderSplit: nil, options: MethodOptions(defaultsOf: method))
    }

    /// SimCLR's LARS learning rate for a batch of `batchSize` images: 0.3 × batchSize / 256.
    public static func larsLearningRate(batchSize: Int) -> Double { 0.3 * Double(batchSize) / 256 }
}
