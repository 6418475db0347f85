import Foundation

/// A run-folder file that could not be read, in one sentence naming the file and the key.
enum RunFileError {
    /// The sentence for an error thrown while decoding `url`: decoding errors become "file: \"key\" problem";
    /// anything else is quoted as it is.
    static func describe(_ error: any Error, in url: URL) -> ConfigurationError {
        guard let decoding = error as? DecodingError else { return ConfigurationError("\(url.path): \(error)") }
        func place(_ path: [any CodingKey]) -> String {
            let keys = path.map { $0.intValue.map { "[\($0)]" } ?? ConfigurationField.snakeCase($0.stringValue) }
            return keys.isEmpty ? "" : "\"" + keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
                + "\" "
        }
        let sentence: String
        switch decoding {
        case .typeMismatch(let type, let context):
            sentence = "\(place(context.codingPath))must be \(typeName(type))"
        case .valueNotFound(let type, let context):
            sentence = "\(place(context.codingPath))must be \(typeName(type)), not null"
        case .keyNotFound(let key, let context):
            sentence = "\(place(context.codingPath + [key]))is missing"
        case .dataCorrupted(let context):
            sentence = context.codingPath.isEmpty
                ? "is not valid JSON (\(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription))"
                : "\(place(context.codingPath))\(context.debugDescription)"
        @unknown default:
            sentence = "cannot be read: \(decoding)"
        }
        return ConfigurationError("\(url.path): \(sentence)")
    }

    /// "an integer", "a number", "a string", … for a decoded type.
    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is UInt64.Type, is Int64.Type, is UInt32.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }
}
