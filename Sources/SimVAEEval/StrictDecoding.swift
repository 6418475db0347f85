import Foundation

/// A value of a results file with the wrong type or outside its range, found while decoding or validating.
///
/// It names the key but not the file: the reader that knows the file turns it into `EvaluationError.invalidEntry`.
struct InvalidEntry: Error, Equatable {
    /// The key, dotted for nested values, e.g. `"style.hair"`.
    let key: String
    /// A short text of the offending value, e.g. `"97.5"` or `"\"five\""`.
    let value: String
    /// What the value must be, e.g. `"a fraction in [0, 1]"`.
    let expected: String

    /// The error a reader of `source` throws.
    func error(in source: String) -> EvaluationError {
        .invalidEntry(source: source, key: key, value: value, expected: expected)
    }
}

/// A coding key for objects whose keys are data, such as style-score names or logged metrics.
struct AnyCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// The value at `key`, or nil when it is absent or null.
    ///
    /// - Parameters:
    ///   - name: the key as error messages show it (default: the key itself).
    ///   - expected: what the value must be, for the error message.
    /// - Throws: `InvalidEntry` when the value has another type (or does not fit it, like 2.5 for an integer).
    func entry<T: Decodable>(_ type: T.Type, forKey key: Key, named name: String? = nil,
                             expected: String) throws -> T? {
        do {
            return try decodeIfPresent(type, forKey: key)
        } catch {
            throw InvalidEntry(key: name ?? key.stringValue, value: valueDescription(forKey: key), expected: expected)
        }
    }

    /// The object at `key` as a dictionary of values of one type, or nil when it is absent or null.
    ///
    /// - Throws: `InvalidEntry` naming `key` when the value is not an object, or `key.name` for a member of
    ///   another type.
    func entries<T: Decodable>(_ type: T.Type, forKey key: Key, expected: String) throws -> [String: T]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        guard let members = try? nestedContainer(keyedBy: AnyCodingKey.self, forKey: key) else {
            throw InvalidEntry(key: key.stringValue, value: valueDescription(forKey: key),
                               expected: "an object whose every value is \(expected)")
        }
        var values: [String: T] = [:]
        for member in members.allKeys {
            let name = "\(key.stringValue).\(member.stringValue)"
            if let value = try members.entry(type, forKey: member, named: name, expected: expected) {
                values[member.stringValue] = value
            }
        }
        return values
    }

    /// A short text of the JSON value at `key` for error messages: the number, the quoted string, `true`,
    /// `an array`, `an object`, or `an out-of-range number` (such as 1e999).
    func valueDescription(forKey key: Key) -> String {
        if let number = try? decode(Int.self, forKey: key) { return "\(number)" }
        if let number = try? decode(Double.self, forKey: key) { return "\(number)" }
        if let text = try? decode(String.self, forKey: key) { return "\"\(text.prefix(40))\"" }
        if let flag = try? decode(Bool.self, forKey: key) { return "\(flag)" }
        if (try? nestedUnkeyedContainer(forKey: key)) != nil { return "an array" }
        if (try? nestedContainer(keyedBy: AnyCodingKey.self, forKey: key)) != nil { return "an object" }
        return "an out-of-range number"
    }
}

/// A number as error messages show it: whole numbers without a fraction (`0`, not `0.0`), others as Swift prints
/// them (`97.5`, `nan`).
func numberText(_ value: Double) -> String {
    value.isFinite && value.rounded() == value && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
}
