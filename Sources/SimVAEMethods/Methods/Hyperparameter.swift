import Torch

/// A value a method's hyperparameter can take: a number, a count, a list of widths or one of a few named choices.
/// It is written to `config.json` as JSON and read from its flag's text.
public protocol HyperparameterValue: Codable, Equatable, Sendable {
    /// The value a flag's text spells, or nil when the text is not one.
    init?(flagText: String)
    /// The value as a flag would spell it, for help and messages.
    var flagText: String { get }
    /// The values a flag may name, for types that are a few named choices; empty otherwise.
    static var choices: [String] { get }
    /// What a flag of this type takes, for messages ("a number").
    static var flagKind: String { get }
}

extension HyperparameterValue {
    /// None: a value of the type is not one of a few named choices.
    public static var choices: [String] { [] }
}

extension Double: HyperparameterValue {
    /// Decimal numbers such as `0.5` or `1e-3`.
    public static var flagKind: String { "a number" }
    /// The number the text spells exactly, such as `0.5` or `1e-3` (as the other numeric flags read it: no spaces);
    /// nil otherwise.
    public init?(flagText: String) { self.init(flagText) }
    /// Swift's spelling of the number (`0.5`, `1e-05`), which reads back as the same value.
    public var flagText: String { "\(self)" }
}

extension Int: HyperparameterValue {
    /// Whole numbers.
    public static var flagKind: String { "a whole number" }
    /// The decimal integer the text spells exactly (no spaces, as the other numeric flags read it); nil otherwise.
    public init?(flagText: String) { self.init(flagText) }
    /// The decimal digits, with a leading `-` when negative.
    public var flagText: String { "\(self)" }
}

/// Comma-separated widths such as `512,128`.
extension Array: HyperparameterValue where Element == Int {
    /// Widths separated by commas.
    public static var flagKind: String { "comma-separated widths such as 512,128" }
    /// The integers of comma-separated text (spaces around each ignored); nil when a piece is empty or not an
    /// integer.
    public init?(flagText: String) {
        let pieces = flagText.split(separator: ",", omittingEmptySubsequences: false)
        let widths = pieces.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.count == pieces.count else { return nil }
        self = widths
    }
    /// The widths joined by commas without spaces (`512,128`).
    public var flagText: String { map(String.init).joined(separator: ",") }
}

/// Named choices (`--objective exact`) are their raw values.
extension HyperparameterValue where Self: RawRepresentable & CaseIterable, RawValue == String {
    /// The case whose raw value is exactly the text; nil otherwise.
    public init?(flagText: String) { self.init(rawValue: flagText) }
    /// The case's raw value.
    public var flagText: String { rawValue }
    /// Every case's raw value, in declaration order.
    public static var choices: [String] { allCases.map(\.rawValue) }
    /// One of the choices, by name.
    public static var flagKind: String { "one of " + choices.joined(separator: ", ") }
}

/// One hyperparameter of a method: its name in `config.json`, its flag, default, help and the values it accepts.
///
/// A method lists its hyperparameters in its description (`Method.hyperparameters`); `simvae train` offers their
/// flags, `config.json` holds their values under their keys, and validation applies their checks.
public struct Hyperparameter<Value: HyperparameterValue>: Sendable {
    /// The Swift-style name (`projectionWidths`); `config.json` holds it snake-cased (`projection_widths`).
    public let name: String
    /// The `simvae train` flag (`--projection`).
    public let flag: String
    /// The value a run takes when neither flag nor file sets it.
    public let defaultValue: Value
    /// One line for `simvae train --help`, without the default (which is appended).
    public let help: String
    /// Why a value is refused ("must be in [0, 1), got 1.5"), or nil when it is accepted.
    public let problem: @Sendable (Value) -> String?

    /// A hyperparameter named `name`, set by `flag` (default `--` and the dashed key) and checked by `check`.
    public init(_ name: String, flag: String? = nil, default defaultValue: Value, help: String,
                check: ValueCheck<Value> = .any) {
        self.name = name
        self.flag = flag ?? "--" + ConfigurationField.snakeCase(name).replacingOccurrences(of: "_", with: "-")
        self.defaultValue = defaultValue
        self.help = help
        problem = check.problem
    }

    /// The key in `config.json`.
    public var key: String { ConfigurationField.snakeCase(name) }
}

/// The values a hyperparameter accepts.
public struct ValueCheck<Value: HyperparameterValue>: Sendable {
    /// Why `value` is refused, or nil.
    public let problem: @Sendable (Value) -> String?

    /// A check from a closure that returns the problem with a value, or nil.
    public init(_ problem: @escaping @Sendable (Value) -> String?) { self.problem = problem }

    /// Every value.
    public static var any: ValueCheck { ValueCheck { _ in nil } }
}

extension ValueCheck where Value == Double {
    /// Finite numbers above 0.
    public static var positive: ValueCheck {
        ValueCheck { $0 > 0 && $0.isFinite ? nil : "must be a positive finite number, got \($0)" }
    }
    /// Finite numbers from 0 up.
    public static var nonNegative: ValueCheck {
        ValueCheck { $0 >= 0 && $0.isFinite ? nil : "must be a finite number ≥ 0, got \($0)" }
    }
    /// Momenta of an exponential moving average: [0, 1).
    public static var momentum: ValueCheck {
        ValueCheck { $0 >= 0 && $0 < 1 ? nil : "must be in [0, 1), got \($0)" }
    }
}

extension ValueCheck where Value == Int {
    /// Counts in `range`.
    public static func within(_ range: ClosedRange<Int>) -> ValueCheck {
        ValueCheck { range.contains($0) ? nil : "must be between \(range.lowerBound) and \(range.upperBound), got \($0)" }
    }
}

extension ValueCheck where Value == [Int] {
    /// The widths of a head: 1 to `layers` widths, each between 1 and `width`.
    public static func widths(layers: Int, width: Int) -> ValueCheck {
        ValueCheck { widths in
            !widths.isEmpty && widths.count <= layers && widths.allSatisfy({ (1...width).contains($0) }) ? nil
                : "must list 1 to \(layers) widths between 1 and \(width), such as 512,128; got \(widths)"
        }
    }
}
