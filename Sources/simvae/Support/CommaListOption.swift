import ArgumentParser

/// The one parser of the comma-separated list flags (`eval --probes`, `bench --only`, `export --splits`,
/// `train --log`, `experiment --methods`): each item is trimmed of spaces, and an empty or unknown item is a
/// one-line error that names the flag, the item and the choices.
enum CommaListOption {
    /// The values named in `text`, in order, each read by `value` (nil for a name it does not know).
    static func parse<Value>(_ text: String, flag: String, choices: String,
                             _ value: (String) -> Value?) throws -> [Value] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            let name = item.trimmingCharacters(in: .whitespaces)
            guard let parsed = name.isEmpty ? nil : value(name) else {
                let what = name.isEmpty ? "an empty item in '\(text)'" : "unknown value '\(name)'"
                throw ValidationError("\(flag): \(what); choose from \(choices), comma-separated.")
            }
            return parsed
        }
    }

    /// The cases of `Value` named in `text`, the choices being all its cases.
    static func parse<Value: CaseIterable & RawRepresentable>(_ text: String, flag: String,
                                                              as _: Value.Type) throws -> [Value]
    where Value.RawValue == String {
        let choices = Value.allCases.map(\.rawValue).joined(separator: ", ")
        return try parse(text, flag: flag, choices: choices, Value.init(rawValue:))
    }
}
