/// A JSON value (RFC 8259) as `StrictJSON` parses it: objects keep their members in order, duplicates included,
/// for the caller to refuse; integers that fit an `Int` are exact.
enum JSONValue {
    case object([(key: String, value: JSONValue)])
    case array([JSONValue])
    case string(String)
    case integer(Int)
    /// Any other number (with a fraction or an exponent, or too large for an `Int`), as written.
    case number(String)
    case bool(Bool)
    case null
}

/// A small strict JSON parser for file headers. Unlike `JSONSerialization` it lets the caller see duplicate keys
/// (which it would silently resolve), refuses what RFC 8259 refuses (control characters and invalid UTF-8 in
/// strings, lone surrogates, leading zeros, trailing commas), and stops at a fixed nesting depth instead of
/// recursing as deep as the input asks.
struct StrictJSON {
    /// Why the text is not JSON, and where.
    struct SyntaxError: Error {
        let problem: String
        let offset: Int
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private var depth = 0
    private static let maximumDepth = 32

    /// Parses `bytes` as exactly one JSON object, optionally followed by whitespace (padding).
    static func object(in bytes: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> [(key: String, value: JSONValue)] {
        var parser = StrictJSON(bytes: bytes)
        guard parser.peek() == UInt8(ascii: "{") else { throw parser.error("the text does not begin with '{'") }
        guard case .object(let members) = try parser.value() else { preconditionFailure("'{' begins an object") }
        parser.skipWhitespace()
        guard parser.position == bytes.count else { throw parser.error("unexpected text after the object") }
        return members
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func error(_ problem: String) -> SyntaxError { SyntaxError(problem: problem, offset: position) }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(SyntaxError) {
        guard peek() == UInt8(ascii: character) else { throw error("expected '\(character)'") }
        position += 1
    }

    private mutating func value() throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        guard let byte = peek() else { throw error("the text ends where a value should be") }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            guard depth < StrictJSON.maximumDepth else {
                throw error("values nest deeper than \(StrictJSON.maximumDepth) levels")
            }
            depth += 1
            defer { depth -= 1 }
            return byte == UInt8(ascii: "{") ? try objectMembers() : try arrayElements()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        default: throw error("unexpected byte 0x\(String(byte, radix: 16))")
        }
    }

    private mutating func objectMembers() throws(SyntaxError) -> JSONValue {
        try expect("{")
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipWhitespace()
            try expect(":")
            members.append((key, try value()))
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            try expect(",")
        }
    }

    private mutating func arrayElements() throws(SyntaxError) -> JSONValue {
        try expect("[")
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            try expect(",")
        }
    }

    private mutating func literal(_ word: String, _ result: JSONValue) throws(SyntaxError) -> JSONValue {
        for character in word.utf8 {
            guard peek() == character else { throw error("expected '\(word)'") }
            position += 1
        }
        return result
    }

    private mutating func number() throws(SyntaxError) -> JSONValue {
        let start = position
        if peek() == UInt8(ascii: "-") { position += 1 }
        guard let first = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw error("expected a digit")
        }
        position += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var isInteger = true
        if peek() == UInt8(ascii: ".") {
            position += 1
            try requireDigits()
            isInteger = false
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            try requireDigits()
            isInteger = false
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger, let integer = Int(text) { return .integer(integer) }
        return .number(text)
    }

    private mutating func skipDigits() {
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
    }

    private mutating func requireDigits() throws(SyntaxError) {
        let start = position
        skipDigits()
        guard position > start else { throw error("expected a digit") }
    }

    private mutating func string() throws(SyntaxError) -> String {
        try expect("\"")
        var utf8: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("the text ends inside a string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                let text = String(decoding: utf8, as: UTF8.self)
                // Decoding replaces invalid UTF-8 with U+FFFD; only valid text survives the round trip unchanged.
                guard text.utf8.elementsEqual(utf8) else { throw error("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                position += 1
                utf8 += try escape()
            case 0..<0x20:
                throw error("a string holds the control character 0x\(String(byte, radix: 16))")
            default:
                utf8.append(byte)
                position += 1
            }
        }
    }

    /// The UTF-8 of the escape sequence after a backslash.
    private mutating func escape() throws(SyntaxError) -> [UInt8] {
        guard let byte = peek() else { throw error("the text ends inside a string") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return [byte]
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "f"): return [0x0C]
        case UInt8(ascii: "n"): return [0x0A]
        case UInt8(ascii: "r"): return [0x0D]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "u"):
            var code = try hexQuad()
            if (0xD800..<0xDC00).contains(code) {
                // A high surrogate must be followed by an escaped low one; together they make one scalar.
                guard peek() == UInt8(ascii: "\\") else { throw error("a lone surrogate in a \\u escape") }
                position += 1
                try expect("u")
                let low = try hexQuad()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate in a \\u escape") }
                code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("a lone surrogate in a \\u escape") }
            return Array(String(Character(scalar)).utf8)
        default:
            throw error("an unknown escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private mutating func hexQuad() throws(SyntaxError) -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw error("a \\u escape needs four hexadecimal digits")
            }
            code = code << 4 | UInt32(digit)
            position += 1
        }
        return code
    }
}
