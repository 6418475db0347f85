/// `config.json` files written before methods described their own hyperparameters held every method's options,
/// VICReg's weights as one `vicreg_weights` object; they are recognised by that key. Reading one ignores the
/// other methods' options and splits VICReg's weights into its three hyperparameters.
struct LegacyOptions {
    /// The options every old file held, by Swift-style name.
    private static let names: Set<String> = [
        "objective", "clusterVariance", "centrePrior", "beta", "consistencyWeight", "temperature",
        "projectionWidths", "mocoMomentum", "queueSize", "vicregWeights",
    ]
    private static let weightsKey = OptionKey(stringValue: "vicregWeights")

    /// VICReg's three weights, when the file is an old one.
    private let weights: [String: Double]?

    /// Recognises an old file from its keys.
    init(_ container: KeyedDecodingContainer<OptionKey>) throws {
        weights = container.contains(Self.weightsKey)
            ? try container.decode([String: Double].self, forKey: Self.weightsKey) : nil
    }

    /// Whether `key` is an old option to skip: any old option of an old file that the method does not have now.
    func ignores(_ key: OptionKey) -> Bool { weights != nil && Self.names.contains(key.stringValue) }

    /// Sets VICReg's weights from an old file's `vicreg_weights`.
    func apply(to configuration: inout TrainingConfiguration) throws {
        guard let weights, configuration.method == .vicreg else { return }
        for (name, parameter) in [("invariance", VICReg.invarianceWeight), ("variance", VICReg.varianceWeight),
                                  ("covariance", VICReg.covarianceWeight)] {
            guard let value = weights[name] else {
                throw DecodingError.dataCorrupted(.init(codingPath: [Self.weightsKey],
                                                        debugDescription: "lacks its \"\(name)\" weight"))
            }
            configuration[parameter] = value
        }
    }
}
