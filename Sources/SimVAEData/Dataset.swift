/// A dataset, described completely in one place: where its files are and how to get them, its splits, classes
/// and image shape, how it loads, and the model a run on it gets by default.
///
/// The datasets the toolkit ships are static members (`Dataset.fashionMNIST`, each declared in its own file
/// under `Datasets/`) listed in `Dataset.registered`; another package adds one with `Dataset.register(_:)`.
public struct Dataset: Sendable, Hashable, CustomStringConvertible {
    /// Where a dataset's images come from.
    public enum Location: Sendable {
        /// Generated in memory: no files.
        case generated
        /// Searched for (`DataLocator`) in the standard places: a folder holding every file of `expectedFiles`
        /// (any one of each inner list suffices), or its subfolder named in `subfolders`.
        case searched(expectedFiles: [[String]], subfolders: [String] = [])
        /// A folder the user must give with `--data-dir`.
        case given
    }

    /// The command-line name (`--dataset fashion-mnist`), also written to `config.json`.
    public let name: String
    /// Where its images come from.
    public let location: Location
    /// How to obtain it, for error messages ("run `simvae data fetch --dataset mnist` …").
    public let howToGet: String
    /// The files `simvae data fetch` downloads (empty when it cannot).
    public let downloads: [RemoteFile]
    /// The splits it has.
    public let splits: [DataSplit]
    /// The class names by label, or nil when they are read from the dataset's own files (CIFAR-10's
    /// `batches.meta.txt`, an image folder's subfolders).
    public let classNames: [String]?
    /// One image's [channels, height, width] as loaded by default.
    public let imageShape: [Int]
    /// What a run on it gets unless told otherwise.
    public let defaults: ModelDefaults
    /// The generating style factors of the first `count` images of a split, by name, for datasets that know them
    /// (the synthetic shapes' position, scale, rotation and hue); nil for the others. The evaluation probes them.
    public let styleFactors: (@Sendable (DataSplit, Int) -> [(name: String, values: [Double])])?
    private let paperPipeline: @Sendable (RandomFlip.Axis) -> AugmentationPipeline
    private let loader: @Sendable (LoadRequest) throws -> ImageSet

    /// A dataset description. `paperAugmentation` is the authors' pipeline for it with the given flip axis;
    /// `load` reads one split (the request's folder is nil for generated datasets).
    public init(name: String, location: Location, howToGet: String, downloads: [RemoteFile] = [],
                splits: [DataSplit] = [.train, .test], classNames: [String]?, imageShape: [Int],
                defaults: ModelDefaults,
                styleFactors: (@Sendable (DataSplit, Int) -> [(name: String, values: [Double])])? = nil,
                paperAugmentation: @escaping @Sendable (RandomFlip.Axis) -> AugmentationPipeline,
                load: @escaping @Sendable (LoadRequest) throws -> ImageSet) {
        (self.name, self.location, self.howToGet, self.downloads) = (name, location, howToGet, downloads)
        (self.splits, self.classNames, self.imageShape, self.defaults) = (splits, classNames, imageShape, defaults)
        self.styleFactors = styleFactors
        (paperPipeline, loader) = (paperAugmentation, load)
    }

    /// The authors' augmentation pipeline for this dataset (PAPER.md §5), flipping along `flipAxis`.
    public func paperAugmentation(flipAxis: RandomFlip.Axis = .vertical) -> AugmentationPipeline {
        paperPipeline(flipAxis)
    }

    /// Reads one split as `request` says.
    func load(_ request: LoadRequest) throws -> ImageSet { try loader(request) }

    public var description: String { name }
    public static func == (a: Dataset, b: Dataset) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// What a dataset's loader is asked for.
public struct LoadRequest: Sendable {
    /// The split to read.
    public let split: DataSplit
    /// The folder `DataLocator` found (nil for generated datasets).
    public let folder: String?
    /// The first images to keep, or nil for all.
    public let limit: Int?
    /// The side to resample images to, for datasets that resample (nil: the dataset's own side).
    public let imageSize: Int?

    /// A request for `split` of the dataset in `folder`.
    public init(split: DataSplit, folder: String?, limit: Int? = nil, imageSize: Int? = nil) {
        (self.split, self.folder, self.limit, self.imageSize) = (split, folder, limit, imageSize)
    }

    /// The folder, which a dataset with files always gets.
    public var files: String {
        guard let folder else { preconditionFailure("a dataset with files was loaded without its folder") }
        return folder
    }
}

/// The model a run on a dataset gets unless told otherwise.
public struct ModelDefaults: Sendable, Equatable {
    /// The encoder/decoder family.
    public let architecture: Architecture
    /// The decoder's observation model.
    public let likelihood: Likelihood
    /// The representation size zdim.
    public let latents: Int

    /// Defaults of `architecture`, `likelihood` and `latents`.
    public init(architecture: Architecture, likelihood: Likelihood, latents: Int) {
        (self.architecture, self.likelihood, self.latents) = (architecture, likelihood, latents)
    }

    /// The paper's defaults for 28×28 grey images: the MLP, Bernoulli pixels, 10 latents.
    public static let greyDigits = ModelDefaults(architecture: .mlp, likelihood: .bernoulli, latents: 10)
    /// The paper's defaults for natural colour images: the authors' ResNet networks, Gaussian pixels
    /// (log σ² = −4.6), 64 latents.
    public static let naturalImages = ModelDefaults(architecture: .authors,
                                                    likelihood: .gaussian(logVariance: -4.6), latents: 64)
}

/// Encoder/decoder families (the `--backbone` flag; `architecture` in config.json).
public enum Architecture: String, Codable, Sendable, CaseIterable {
    /// The paper's MLP for 28×28 grey images.
    case mlp
    /// The authors' networks for 32 or 64 px colour images: their small ResNet encoder (32, 64, 128 channels) and
    /// transposed-convolution decoder, exactly as in their code.
    case authors
    /// A full ResNet-18 encoder (64 to 512 channels) and a mirrored decoder for 32 or 64 px colour images.
    case resnet18
}

/// The decoder's observation model p(x | z) (its computations are in the methods module).
public enum Likelihood: Sendable, Equatable, Codable {
    /// Independent Bernoulli pixels; the decoder outputs logits (grey images such as MNIST).
    case bernoulli
    /// Gaussian pixels with fixed variance exp(logVariance); the decoder's sigmoid output is the mean.
    case gaussian(logVariance: Double)
}
