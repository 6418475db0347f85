import Foundation

/// Finds a dataset's folder: `--data-dir`, then `$SIMVAE_DATA`, then the standard places.
public enum DataLocator {
    /// The folders searched, in order: an explicit folder and its subfolder named after the dataset (and nothing
    /// else when a folder is given); otherwise the same for `$SIMVAE_DATA`, then `/usr/share/datasets/<name>` (Debian's `dataset-fashion-mnist`),
    /// `/usr/local/share/datasets/<name>` and `~/.local/share/simvae/<name>` (where `simvae data fetch` puts data).
    /// CIFAR-10 is also found inside a `cifar-10-batches-bin` subfolder of each.
    public static func candidates(for dataset: Dataset, dataDirectory: String?,
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        let name = dataset.name
        var roots: [String] = []
        if let dataDirectory, !dataDirectory.isEmpty {
            // An explicit folder is authoritative: silently training on data found elsewhere would mislead.
            roots = [dataDirectory, (dataDirectory as NSString).appendingPathComponent(name)]
        } else {
            if let base = environment["SIMVAE_DATA"], !base.isEmpty {
                roots += [base, (base as NSString).appendingPathComponent(name)]
            }
            roots += ["/usr/share/datasets/\(name)", "/usr/local/share/datasets/\(name)",
                      defaultDownloadFolder(for: dataset)]
        }
        guard case .searched(_, let subfolders) = dataset.location else { return roots }
        return roots.flatMap { root in [root] + subfolders.map { (root as NSString).appendingPathComponent($0) } }
    }

    /// Where `simvae data fetch` stores a dataset when no folder is given: `~/.local/share/simvae/<name>`.
    public static func defaultDownloadFolder(for dataset: Dataset) -> String {
        (NSHomeDirectory() as NSString).appendingPathComponent(".local/share/simvae/\(dataset.name)")
    }

    /// The first candidate folder that holds all the dataset's expected files; nil for a generated dataset.
    /// - Throws: `DataError` saying which files were expected where and how to get them.
    public static func locate(_ dataset: Dataset, dataDirectory: String?,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        switch dataset.location {
        case .generated:
            return nil
        case .given:
            guard let dataDirectory else {
                throw DataError("the \(dataset.name) dataset needs --data-dir; \(dataset.howToGet)")
            }
            return dataDirectory
        case .searched(let expectedFiles, _):
            let folders = candidates(for: dataset, dataDirectory: dataDirectory, environment: environment)
            let found = folders.first { folder in
                expectedFiles.allSatisfy { alternatives in
                    alternatives.contains {
                        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
                    }
                }
            }
            if let found { return found }
            let files = expectedFiles.map { $0.joined(separator: " or ") }.joined(separator: ", ")
            throw DataError("\(dataset.name) not found: expected \(files) in one of "
                                + folders.joined(separator: ", ") + "; to get it, \(dataset.howToGet)")
        }
    }
}
