import Torch

/// A training method, described completely in one place: its names, the views and batches it needs, whether it has
/// a decoder, its hyperparameters and how it builds its objective from a backbone.
///
/// The command line, `config.json`, validation and help all come from these descriptions. The methods the toolkit
/// ships are static members (`Method.simvae`, declared beside each objective) listed in `Method.registered`;
/// another package adds one with `Method.register(_:)`.
public struct Method: Sendable, Hashable, CustomStringConvertible {
    /// What a method learns with.
    public enum Family: Sendable {
        /// An encoder and a decoder: the method reconstructs inputs and samples new ones.
        case generative
        /// An encoder (and heads) trained by comparing views.
        case discriminative
        /// An encoder that is never trained, a lower bound; its runs train 0 epochs.
        case untrained
    }

    /// The command-line name (`--method simvae`), also written to `config.json`.
    public let name: String
    /// The name in tables and reports (`SimVAE`).
    public let displayName: String
    /// One line for `simvae train --help`.
    public let summary: String
    /// Generative, discriminative or untrained.
    public let family: Family
    /// Views per set a run takes unless `--views` says otherwise.
    public let defaultViews: Int
    /// The fewest views per set the objective accepts (2 for methods that compare views).
    public let minimumViews: Int
    /// Whether the objective compares the sets of a batch with each other (negatives, batch statistics), so a
    /// batch needs at least two sets.
    public let comparesSets: Bool
    /// The method's own options, each with its flag, default, check and help.
    public let hyperparameters: [AnyHyperparameter]
    private let build: @Sendable (ObjectiveRecipe) throws -> any Objective

    /// A method description; `build` makes a freshly initialised objective from the recipe's backbone and values.
    public init(name: String, displayName: String, summary: String, family: Family, defaultViews: Int,
                minimumViews: Int = 1, comparesSets: Bool = false, hyperparameters: [AnyHyperparameter] = [],
                build: @escaping @Sendable (ObjectiveRecipe) throws -> any Objective) {
        precondition(defaultViews >= minimumViews && minimumViews >= 1, "\(name): impossible view counts")
        (self.name, self.displayName, self.summary, self.family) = (name, displayName, summary, family)
        (self.defaultViews, self.minimumViews, self.comparesSets) = (defaultViews, minimumViews, comparesSets)
        self.hyperparameters = hyperparameters
        self.build = build
    }

    /// Whether the method has a decoder (reconstructions and samples without `train-decoder`).
    public var isGenerative: Bool { family == .generative }

    /// The objective for `recipe`; initialisation draws from libtorch's generator.
    public func makeObjective(_ recipe: ObjectiveRecipe) throws -> any Objective { try build(recipe) }

    /// The hyperparameter named `name`, if the method has it.
    func hyperparameter(named name: String) -> AnyHyperparameter? { hyperparameters.first { $0.name == name } }

    /// The method's name (`simvae`, `simclr`, …).
    public var description: String { name }
    /// Methods are equal when their names are.
    public static func == (a: Method, b: Method) -> Bool { a.name == b.name }
    /// Hashes the name, as `==` compares it.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
