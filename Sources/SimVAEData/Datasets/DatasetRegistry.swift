import Foundation

extension Dataset {
    /// The datasets the toolkit ships.
    private static let shipped: [Dataset] = [.mnist, .fashionMNIST, .cifar10, .celeba, .synthetic, .folder]

    nonisolated(unsafe) private static var added: [Dataset] = []
    private static let lock = NSLock()

    /// Every dataset `--dataset` accepts: the shipped ones, then those registered by other packages.
    public static var registered: [Dataset] { shipped + lock.withLock { added } }

    /// The registered names, comma-separated, for help and messages.
    public static var names: String { registered.map(\.name).joined(separator: ", ") }

    /// The registered dataset called `name`.
    public static func named(_ name: String) -> Dataset? { registered.first { $0.name == name } }

    /// Adds a dataset from another package.
    /// - Throws: `DataError` when a dataset of that name is already registered.
    public static func register(_ dataset: Dataset) throws {
        try lock.withLock {
            guard !(shipped + added).contains(dataset) else {
                throw DataError("a dataset named '\(dataset.name)' is already registered")
            }
            added.append(dataset)
        }
    }
}

/// `config.json` holds a dataset by its name.
extension Dataset: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let dataset = Dataset.named(name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "is not a known dataset ('\(name)'); known: \(Dataset.names)")
        }
        self = dataset
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
