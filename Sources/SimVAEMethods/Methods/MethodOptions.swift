/// The values of a method's hyperparameters in one run, by name; each starts at its default.
public struct MethodOptions: Sendable, Equatable {
    private var values: [String: any HyperparameterValue]

    /// Every hyperparameter of `method` at its default.
    public init(defaultsOf method: Method) {
        values = Dictionary(uniqueKeysWithValues: method.hyperparameters.map { ($0.name, $0.defaultValue) })
    }

    /// The value of `parameter`, which must be one of the method's.
    public subscript<Value>(_ parameter: Hyperparameter<Value>) -> Value {
        get {
            guard let value = values[parameter.name] as? Value else {
                preconditionFailure("\(parameter.name) is not a hyperparameter of this run's method")
            }
            return value
        }
        set {
            precondition(values[parameter.name] != nil, "\(parameter.name) is not a hyperparameter of this run's method")
            values[parameter.name] = newValue
        }
    }

    /// The value of the hyperparameter named `name`, if the method has it.
    func value(named name: String) -> (any HyperparameterValue)? { values[name] }

    /// Sets `parameter`, one of the method's, to the value its flag's `text` spells.
    /// - Throws: a sentence naming the flag when the text is not a value of its type.
    public mutating func set(parsing text: String, for parameter: AnyHyperparameter) throws {
        set(try parameter.value(parsing: text), named: parameter.name)
    }

    /// Sets the hyperparameter named `name`, which the method has, to `value` of its type.
    mutating func set(_ value: any HyperparameterValue, named name: String) {
        precondition(values[name].map { type(of: $0) == type(of: value) } ?? false,
                     "\(name) is not a hyperparameter of this type")
        values[name] = value
    }

    /// Options are equal when they hold the same hyperparameter names with equal values.
    public static func == (a: MethodOptions, b: MethodOptions) -> Bool {
        a.values.count == b.values.count
            && a.values.allSatisfy { name, value in b.values[name].map { areEqual(value, $0) } ?? false }
    }
}
