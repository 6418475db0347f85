import ArgumentParser
import Foundation
import SimVAEData

/// `simvae data check|fetch`.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Check or download datasets.", subcommands: [Check.self, Fetch.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what was found for a dataset (files, counts, shapes, class balance).")
        @Option(help: SharedHelp.dataset)
        var dataset: Dataset
        @Option(help: SharedHelp.dataDirectory)
        var dataDir: String?

        func validate() throws {
            if let dataDir { try PathOption.validate(dataDir, flag: "--data-dir") }
        }

        func run() throws {
            try reportingErrors {
                for line in try DataCheck.summary(of: dataset, dataDirectory: dataDir) { print(line) }
            }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a dataset from its canonical source and verify its checksums.")
        @Option(help: "Dataset: mnist, fashion-mnist or cifar10 (CelebA needs a manual download).")
        var dataset: Dataset
        @Option(help: "Destination folder (default: ~/.local/share/simvae/<dataset>).")
        var dataDir: String?

        func validate() throws {
            if let dataDir { try PathOption.validate(dataDir, flag: "--data-dir") }
        }

        func run() throws {
            try reportingErrors {
                let folder = try DataFetch.fetch(dataset, into: dataDir ?? DataLocator.defaultDownloadFolder(for: dataset))
                print("\(dataset.name) is ready in \(folder)")
            }
        }
    }
}

extension Dataset: ExpressibleByArgument {
    public init?(argument: String) {
        guard let dataset = Dataset.named(argument) else { return nil }
        self = dataset
    }

    public static var allValueStrings: [String] { registered.map(\.name) }
}
