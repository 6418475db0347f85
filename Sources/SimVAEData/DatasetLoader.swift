import Foundation

/// Loads any registered dataset by name.
public enum DatasetLoader {
    /// The class names of MNIST (digits) and Fashion-MNIST (clothes), by label.
    public static func classNames(of dataset: Dataset) -> [String] {
        switch dataset {
        case .fashionMNIST:
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        default: (0 ..< 10).map(String.init)
        }
    }

    /// Loads a split of a dataset, found by `DataLocator`, keeping the first `limit` images when given.
    /// - Parameter imageSize: the side of CelebA and image-folder images (64 by default) and of synthetic images
    ///   (32 by default); the other datasets keep their native size.
    /// - Throws: `DataError` when the dataset is missing, a file is corrupt, or the split does not exist.
    public static func load(_ dataset: Dataset, split: DataSplit, dataDirectory: String? = nil, limit: Int? = nil,
                            imageSize: Int? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ImageSet {
        if dataset == .synthetic { return synthetic(split: split, limit: limit, imageSize: imageSize).images }
        let folder = try DataLocator.locate(dataset, dataDirectory: dataDirectory, environment: environment)
        switch dataset {
        case .mnist, .fashionMNIST:
            guard split != .valid else { throw DataError.noValidationSplit(dataset.rawValue) }
            let prefix = split == .train ? "train" : "t10k"
            return try IDX.loadImageSet(images: idxPath(folder, "\(prefix)-images-idx3-ubyte"),
                                        labels: idxPath(folder, "\(prefix)-labels-idx1-ubyte"),
                                        classNames: classNames(of: dataset)).prefix(limit)
        case .cifar10:
            return try CIFAR10.load(directory: folder, split: split).prefix(limit)
        case .celeba:
            return try CelebA.load(directory: folder, split: split, size: imageSize ?? 64).prefix(limit)
        case .folder, .synthetic:
            return try ImageFolder.load(root: folder, split: split, height: imageSize ?? 64,
                                          width: imageSize ?? 64).prefix(limit)
        }
    }

    /// The `.gz` file when present, else the plain one.
    private static func idxPath(_ folder: String, _ name: String) -> String {
        let compressed = (folder as NSString).appendingPathComponent(name + ".gz")
        return FileManager.default.fileExists(atPath: compressed) ? compressed
                                                                   : (folder as NSString).appendingPathComponent(name)
    }

    /// The style factors (position, scale, rotation, hue) of the synthetic dataset's split, in image order.
    public static func syntheticStyleFactors(split: DataSplit, limit: Int? = nil) -> SyntheticShapes.StyleFactors {
        synthetic(split: split, limit: limit, imageSize: nil).factors
    }

    /// The synthetic split: 10 000 training and 2 000 test images (fewer with `limit`), seeded by the split.
    private static func synthetic(split: DataSplit, limit: Int?, imageSize: Int?)
        -> (images: ImageSet, factors: SyntheticShapes.StyleFactors)
    {
        let count = min(limit ?? .max, split == .train ? 10_000 : 2_000)
        let generated = SyntheticShapes.generate(count: count, size: imageSize ?? 32,
                                                 seed: UInt64(DataSplit.allCases.firstIndex(of: split) ?? 0))
        return (generated.images, generated.factors)
    }
}
