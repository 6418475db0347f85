import Foundation

/// Where and as whom a process joins its group: the variables `torchrun` and the usual schedulers set
/// (`RANK`, `WORLD_SIZE`, `LOCAL_RANK`, `MASTER_ADDR`, `MASTER_PORT`, and Gloo's `GLOO_SOCKET_IFNAME`).
public struct Rendezvous: Sendable, Equatable {
    /// The host whose rank 0 serves the group's store.
    public var host: String
    /// The store's TCP port on `host`.
    public var port: Int
    /// This process's rank, 0 ..< `worldSize`.
    public var rank: Int
    /// The number of processes.
    public var worldSize: Int
    /// This process's index among the ranks of its machine.
    public var localRank: Int
    /// The network interface Gloo binds to (`GLOO_SOCKET_IFNAME`), when set.
    public var interface: String?

    /// A rendezvous with the given fields.
    public init(host: String, port: Int, rank: Int, worldSize: Int, localRank: Int, interface: String? = nil) {
        self.host = host
        self.port = port
        self.rank = rank
        self.worldSize = worldSize
        self.localRank = localRank
        self.interface = interface
    }

    /// The address Gloo binds to without an interface: the loopback one when the whole group is on this machine
    /// (its store is on a loopback address), else the one this machine's hostname resolves to (nil).
    public var bindHost: String? {
        host == "localhost" || host.hasPrefix("127.") || host == "::1" ? "127.0.0.1" : nil
    }

    /// The rendezvous the environment describes, or nil when it sets none of the variables (a one-process run).
    /// - Throws: `DistributedError` naming the variable that is missing or out of range.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> Rendezvous?
    {
        let names = ["RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"]
        guard names.contains(where: { environment[$0] != nil }) else { return nil }
        func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name] else {
                throw DistributedError("\(name) is not set, but \(names.filter { environment[$0] != nil }.joined(separator: ", ")) "
                    + "is: a process of a group needs all of \(names.joined(separator: ", "))")
            }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw DistributedError("\(name)=\(text) is not a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return value
        }
        let worldSize = try integer("WORLD_SIZE", in: 1 ... 65_536)
        let rank = try integer("RANK", in: 0 ... worldSize - 1)
        let port = try integer("MASTER_PORT", in: 1 ... 65_535)
        guard let host = environment["MASTER_ADDR"], !host.isEmpty else {
            throw DistributedError("MASTER_ADDR is not set: the group needs the host of rank 0")
        }
        let localRank = environment["LOCAL_RANK"] == nil ? rank : try integer("LOCAL_RANK", in: 0 ... worldSize - 1)
        let interface = environment["GLOO_SOCKET_IFNAME"].flatMap { $0.isEmpty ? nil : $0 }
        return Rendezvous(host: host, port: port, rank: rank, worldSize: worldSize, localRank: localRank,
                          interface: interface)
    }
}
