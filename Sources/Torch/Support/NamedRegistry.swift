import Foundation

/// Values known by a name: those a module ships, then those other packages register at start-up (a method, a
/// dataset). Reads and registrations may happen from any thread.
public final class NamedRegistry<Entry: Sendable>: @unchecked Sendable {
    /// Why a registration is refused.
    public struct DuplicateName: Error, CustomStringConvertible {
        public let description: String
    }

    /// What the entries are ("method"), for messages.
    public let kind: String
    private let shipped: [Entry]
    private let name: @Sendable (Entry) -> String
    private var added: [Entry] = []
    private let lock = NSLock()

    /// A registry of `kind` ("method") holding `shipped`, whose names `name` reads.
    public init(kind: String, shipped: [Entry], name: @escaping @Sendable (Entry) -> String) {
        precondition(Set(shipped.map(name)).count == shipped.count, "two shipped \(kind)s share a name")
        (self.kind, self.shipped, self.name) = (kind, shipped, name)
    }

    /// Every entry: the shipped ones, then the registered ones, in order.
    public var entries: [Entry] { shipped + lock.withLock { added } }

    /// The names, comma-separated, for help and messages.
    public var names: String { entries.map(name).joined(separator: ", ") }

    /// The entry called `wanted`.
    public func named(_ wanted: String) -> Entry? { entries.first { name($0) == wanted } }

    /// Adds `entry`.
    /// - Throws: `DuplicateName` when an entry of that name exists.
    public func register(_ entry: Entry) throws {
        try lock.withLock {
            guard !(shipped + added).contains(where: { name($0) == name(entry) }) else {
                throw DuplicateName(description: "a \(kind) named '\(name(entry))' is already registered")
            }
            added.append(entry)
        }
    }
}

/// A value `Codable` as its name, looked up in its registry when read.
public protocol RegisteredByName: Codable, Sendable {
    /// Every value known by name.
    static var registry: NamedRegistry<Self> { get }
    /// The name it is written as.
    var name: String { get }
}

extension RegisteredByName {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let value = Self.registry.named(name) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "is not a known \(Self.registry.kind) ('\(name)'); known: \(Self.registry.names)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
