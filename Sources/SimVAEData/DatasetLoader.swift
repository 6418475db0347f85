import Foundation

/// Loads any registered dataset.
public enum DatasetLoader {
    /// Loads a split of a dataset, found by `DataLocator`, keeping the first `limit` images when given.
    /// - Parameter imageSize: the side images are resampled to by the datasets that resample (CelebA, image
    ///   folders: 64 by default; synthetic: 32 by default); the others keep their native size.
    /// - Throws: `DataError` when the dataset is missing, a file is corrupt, or the split does not exist.
    public static func load(_ dataset: Dataset, split: DataSplit, dataDirectory: String? = nil, limit: Int? = nil,
                            imageSize: Int? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ImageSet {
        guard dataset.splits.contains(split) else {
            throw split == .valid ? DataError.noValidationSplit(dataset.name)
                : DataError("\(dataset.name) has no \(split.rawValue) split")
        }
        let folder = try DataLocator.locate(dataset, dataDirectory: dataDirectory, environment: environment)
        return try dataset.load(LoadRequest(split: split, folder: folder, limit: limit, imageSize: imageSize))
            .prefix(limit)
    }

}
