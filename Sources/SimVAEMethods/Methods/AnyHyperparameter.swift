/// A hyperparameter of any value type, as a method lists it.
public struct AnyHyperparameter: Sendable {
    /// The Swift-style name (`projectionWidths`).
    public let name: String
    /// The `simvae train` flag.
    public let flag: String
    /// One line of help.
    public let help: String
    /// The default as its flag would spell it.
    public let defaultText: String
    let defaultValue: any HyperparameterValue
    let valueType: any HyperparameterValue.Type
    private let check: @Sendable (any HyperparameterValue) -> String?
    private let parse: @Sendable (String) -> (any HyperparameterValue)?

    /// The type-erased form of `parameter`.
    public init<Value>(_ parameter: Hyperparameter<Value>) {
        (name, flag, help) = (parameter.name, parameter.flag, parameter.help)
        defaultText = parameter.defaultValue.flagText
        defaultValue = parameter.defaultValue
        valueType = Value.self
        let problem = parameter.problem
        check = { value in (value as? Value).map(problem) ?? "has the wrong type" }
        parse = { Value(flagText: $0) }
    }

    /// The key in `config.json`.
    public var key: String { ConfigurationField.snakeCase(name) }

    /// Why `value` is refused, or nil.
    func problem(with value: any HyperparameterValue) -> String? { check(value) }

    /// The value `text` (a flag's argument) spells.
    /// - Throws: a sentence naming the flag and the kind of value it takes.
    func value(parsing text: String) throws -> any HyperparameterValue {
        guard let value = parse(text) else {
            throw ConfigurationError("\(flag) takes \(valueType.flagKind), got '\(text)'")
        }
        return value
    }
}

/// Whether two values of possibly different types are equal.
func areEqual(_ a: any HyperparameterValue, _ b: any HyperparameterValue) -> Bool {
    func matches<Value: HyperparameterValue>(_ a: Value) -> Bool { (b as? Value) == a }
    return matches(a)
}
