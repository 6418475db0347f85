import Foundation

/// The summary behind `simvae data check`.
public enum DataCheck {
    /// Printable lines describing a dataset: the folder found (and how an image folder is split), and per split
    /// the image count, shape and class balance (plus attribute names for CelebA).
    /// - Throws: `DataError` when the dataset is missing or a split is corrupt (the sentence says what and where).
    public static func summary(of dataset: Dataset, dataDirectory: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [String] {
        var lines: [String] = []
        if let folder = try DataLocator.locate(dataset, dataDirectory: dataDirectory, environment: environment) {
            lines.append("\(dataset.name): found in \(folder)")
            if dataset == .folder { lines.append("  split: \(try ImageFolder.split(of: folder))") }
        } else {
            lines.append("\(dataset.name): generated in memory")
        }
        for split in dataset.splits {
            let set = try DatasetLoader.load(dataset, split: split, dataDirectory: dataDirectory,
                                             environment: environment)
            let shape = "\(set.channels)×\(set.height)×\(set.width)"
            lines.append("  \(split.rawValue): \(set.count) images of \(shape), \(set.classNames.count) classes")
            let balance = zip(set.classNames, set.classCounts).map { "\($0) \($1)" }.joined(separator: ", ")
            lines.append("    classes: \(balance)")
            if let attributes = set.attributes {
                lines.append("    \(attributes.names.count) attributes: " + attributes.names.joined(separator: " "))
            }
        }
        return lines
    }
}
