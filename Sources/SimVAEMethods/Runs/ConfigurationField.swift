import Foundation
import Torch

/// One option every training run has (a method's own hyperparameters are `Hyperparameter`s), with the two names
/// users meet it under: its `simvae train` flag and its key in `config.json`. Messages about a value name it the
/// way the user gave it: the flag when it came from the command line, the key when it came from a file.
public enum ConfigurationField: String, CaseIterable, Sendable {
    /// Fields named like the `TrainingConfiguration` properties they stand for.
    case method, dataset, dataDirectory, epochs, batchSize, views, latents, learningRate, adamEps, seed, limit
    /// More fields, named like the `TrainingConfiguration` properties they stand for.
    case architecture, likelihood, augmentation, logEvery, optimizer, folderSplit
    /// The learning-rate schedule, its warm-up, the recipe the run started from and the online monitor's interval.
    case schedule, warmupEpochs, recipe, monitorEvery

    /// The key in `config.json` (snake case, as the run folder's encoder writes it).
    public var key: String { ConfigurationField.snakeCase(rawValue) }

    /// The `simvae train` flag that sets the option, or nil for the few options only `config.json` holds.
    public var flag: String? {
        switch self {
        case .dataDirectory: "--data-dir"
        case .latents: "--zdim"
        case .learningRate: "--lr"
        case .adamEps, .architecture, .likelihood, .folderSplit: nil
        default: "--" + key.replacingOccurrences(of: "_", with: "-")
        }
    }

    /// How a message names the option when it came from the command line.
    public var flagName: String { flag ?? "\"\(key)\" in the configuration" }

    /// `batchSize` → `batch_size`, the conversion `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` applies
    /// to these names (the same as a Swift property's PyTorch-style name).
    static func snakeCase(_ name: String) -> String { Module.pytorchName(name) }
}

/// Where a configuration's values came from, so that a message names what the user actually typed or edited.
public enum ConfigurationSource: Sendable {
    /// The command line: problems name flags (`--zdim`).
    case flags
    /// A file such as a run's `config.json`: problems name the file and the key.
    case file(URL)

    /// The sentence for `problem` ("must be positive, got 0") with the option of config.json key `key` and flag
    /// `flagName`.
    func sentence(key: String, flagName: String, _ problem: String) -> String {
        switch self {
        case .flags: "\(flagName) \(problem)"
        case .file(let url): "\(url.path): \"\(key)\" \(problem)"
        }
    }
}
