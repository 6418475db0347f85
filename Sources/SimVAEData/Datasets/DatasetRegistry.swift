import Torch

extension Dataset: RegisteredByName {
    /// Every dataset `--dataset` accepts: the shipped ones, then those another package registers with
    /// `Dataset.register(_:)`.
    public static let registry = NamedRegistry<Dataset>(
        kind: "dataset", shipped: [.mnist, .fashionMNIST, .cifar10, .celeba, .synthetic, .folder], name: \.name)

    /// Every registered dataset.
    public static var registered: [Dataset] { registry.entries }

    /// The registered names, comma-separated, for help and messages.
    public static var names: String { registry.names }

    /// The registered dataset called `name`.
    public static func named(_ name: String) -> Dataset? { registry.named(name) }

    /// Adds a dataset from another package, so that `--dataset`, `config.json` and `simvae data` know it.
    /// - Throws: `NamedRegistry.DuplicateName` when a dataset of that name is already registered.
    public static func register(_ dataset: Dataset) throws { try registry.register(dataset) }
}
