import Foundation
import SimVAEData

/// Every option of a training run, resolved (defaults filled in), as written to the run's `config.json`.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    public var method: Method
    public var dataset: String
    public var dataDirectory: String?
    public var epochs: Int
    /// Images per optimisation step (sets × views).
    public var batchSize: Int
    public var views: Int
    public var latents: Int
    public var learningRate: Double
    public var adamEps: Double
    public var seed: UInt64
    public var limit: Int?
    public var architecture: Architecture
    public var likelihood: Likelihood
    /// How SimVAE weights its terms: `exact` ELBO_SSL or the `authors`' effective objective (the default:
    /// on Fashion-MNIST at equal budget it reached kNN 83.7 % against 81.8 % for `exact`; docs/RESULTS.md).
    public var objective: ObjectivePreset
    /// σ² of p(z | y) (SimVAE's `var_z_y`).
    public var clusterVariance: Double
    public var centrePrior: CentrePrior
    /// β of the β-VAE (1 for the VAE).
    public var beta: Double
    /// λ of CR-VAE's consistency term.
    public var consistencyWeight: Double
    /// The augmentation preset applied to every view.
    public var augmentation: AugmentationPreset
    /// Steps between lines of `metrics.jsonl`.
    public var logEvery: Int
    /// The optimizer: Adam (all methods by default) or LARS (SimCLR's choice).
    public var optimizer: OptimizerKind
    /// τ of SimCLR's NT-Xent and MoCo's loss (0.5 for SimCLR, as in its CIFAR-10 runs; 0.2 for MoCo v2).
    public var temperature: Double
    /// Widths of the projection head (SimCLR, MoCo) or expander (VICReg) on top of the zdim-wide
    /// representation: hidden widths, then the output width.
    public var projectionWidths: [Int]
    /// m of MoCo's momentum update of the key network.
    public var mocoMomentum: Double
    /// Keys in MoCo's queue of negatives.
    public var queueSize: Int
    /// λ / μ / ν of VICReg's invariance, variance and covariance terms.
    public var vicregWeights: VICRegWeights
    /// How an image folder (`--dataset folder`) was split into training and test images when the run started
    /// (`ImageFolder.split(of:)`, e.g. "held-out-20%"); nil for the other datasets.
    public var folderSplit: String?

    /// Sets per batch: the batch is `batchSize / views` samples × `views` views, as in the authors' code.
    public var setsPerBatch: Int { batchSize / views }
}

/// The training methods `simvae train --method` accepts.
public enum Method: String, Codable, CaseIterable, Sendable {
    case simvae
    case vae
    case betaVAE = "beta-vae"
    case crVAE = "cr-vae"
    case simclr
    case moco
    case vicreg
    /// An untrained encoder: the lower bound.
    case random

    /// Whether the method needs related views (J ≥ 2).
    public var needsSeveralViews: Bool { [.simvae, .crVAE, .simclr, .moco, .vicreg].contains(self) }

    /// Whether the method compares the sets of a batch with each other (negatives, batch statistics), so a batch
    /// needs at least two sets.
    public var needsSeveralSets: Bool { [.simclr, .vicreg].contains(self) }

    /// Whether the method has a decoder (reconstructions and samples without `train-decoder`).
    public var isGenerative: Bool { [.simvae, .vae, .betaVAE, .crVAE].contains(self) }
}

/// Encoder/decoder families.
public enum Architecture: String, Codable, Sendable, CaseIterable {
    /// The paper's MLP for 28×28 grey images.
    case mlp
    /// ResNet-18 encoder and mirrored decoder for colour images.
    case resnet18
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
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TrainingConfiguration {
    /// The paper's defaults for a method on a dataset, with the caller's overrides applied afterwards.
    ///
    /// All methods share the architecture, zdim (the representation size), batch size, augmentations and Adam
    /// (lr 8e-5, eps 1e-4), so the comparison is fair. SimVAE sees the paper's 10 views per set; CR-VAE, SimCLR,
    /// MoCo and VICReg use pairs (J = 2, all they consume); the VAEs and the random encoder 1. The random encoder trains 0 epochs.
    /// Discriminative heads: 512 → 128 for SimCLR and MoCo (SimCLR's 2048-wide hidden layer scaled to these
    /// small encoders), a 2048-2048-2048 expander for VICReg; τ 0.5 (SimCLR on CIFAR-10) or 0.2 (MoCo v2);
    /// MoCo's m 0.99 (PAPER.md §3) and a 4096-key queue; VICReg's weights 25 / 25 / 1.
    public static func defaults(method: Method, dataset: Dataset) -> TrainingConfiguration {
        let colour = dataset == .cifar10 || dataset == .celeba || dataset == .synthetic
        let views = method == .simvae ? 10 : method.needsSeveralViews ? 2 : 1
        return TrainingConfiguration(
            method: method, dataset: dataset.rawValue, dataDirectory: nil, epochs: method == .random ? 0 : 12,
            batchSize: 128, views: views, latents: colour ? 64 : 10, learningRate: 8e-5, adamEps: 1e-4,
            seed: 1234, limit: nil, architecture: colour && dataset != .synthetic ? .resnet18 : .mlp,
            likelihood: colour ? .gaussian(logVariance: -4.6) : .bernoulli, objective: .authors,
            clusterVariance: 0.15, centrePrior: .gaussian, beta: method == .betaVAE ? 4 : 1, consistencyWeight: 1,
            augmentation: .paper, logEvery: 50, optimizer: .adam, temperature: method == .moco ? 0.2 : 0.5,
            projectionWidths: method == .vicreg ? [2048, 2048, 2048] : [512, 128], mocoMomentum: 0.99,
            queueSize: 4096, vicregWeights: .paper, folderSplit: nil)
    }

    /// SimCLR's LARS learning rate for a batch of `batchSize` images: 0.3 × batchSize / 256.
    public static func larsLearningRate(batchSize: Int) -> Double { 0.3 * Double(batchSize) / 256 }
}

extension TrainingConfiguration {
    /// The keys of `config.json` are the options' fields (snake-cased by the run folder's coder).
    typealias CodingKeys = ConfigurationField

    /// Reads a `config.json`; options it lacks (written by an older version) take today's defaults for its
    /// method and dataset, so older run folders stay readable. Keys it does not know (a typo in a hand edit) and
    /// unknown datasets are errors, not silently ignored; values are checked by `validate(_:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let unknown = try decoder.container(keyedBy: AnyCodingKey.self).allKeys.first(where: {
            ConfigurationField(rawValue: $0.stringValue) == nil
        }) {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + [unknown],
                                                    debugDescription: "is not an option of a run (a typo?)"))
        }
        let method = try container.decode(Method.self, forKey: .method)
        let datasetName = try container.decode(String.self, forKey: .dataset)
        guard let dataset = Dataset(rawValue: datasetName) else {
            throw DecodingError.dataCorruptedError(
                forKey: .dataset, in: container,
                debugDescription: "is not a known dataset ('\(datasetName)'); known: "
                    + Dataset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = .defaults(method: method, dataset: dataset)
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws {
            if let decoded = try container.decodeIfPresent(T.self, forKey: key) { value = decoded }
        }
        dataDirectory = try container.decodeIfPresent(String.self, forKey: .dataDirectory)
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        folderSplit = try container.decodeIfPresent(String.self, forKey: .folderSplit)
        try read(.epochs, into: &epochs)
        try read(.batchSize, into: &batchSize)
        try read(.views, into: &views)
        try read(.latents, into: &latents)
        try read(.learningRate, into: &learningRate)
        try read(.adamEps, into: &adamEps)
        try read(.seed, into: &seed)
        try read(.architecture, into: &architecture)
        try read(.likelihood, into: &likelihood)
        try read(.objective, into: &objective)
        try read(.clusterVariance, into: &clusterVariance)
        try read(.centrePrior, into: &centrePrior)
        try read(.beta, into: &beta)
        try read(.consistencyWeight, into: &consistencyWeight)
        try read(.augmentation, into: &augmentation)
        try read(.logEvery, into: &logEvery)
        try read(.optimizer, into: &optimizer)
        try read(.temperature, into: &temperature)
        try read(.projectionWidths, into: &projectionWidths)
        try read(.mocoMomentum, into: &mocoMomentum)
        try read(.queueSize, into: &queueSize)
        try read(.vicregWeights, into: &vicregWeights)
    }
}

/// Any key of a JSON object, to list the keys a file holds.
private struct AnyCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
