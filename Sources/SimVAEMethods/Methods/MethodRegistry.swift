import Foundation

extension Method {
    /// The methods the toolkit ships, in the order `simvae experiment table1` runs them.
    private static let shipped: [Method] = [
        .simvae, .vae, .betaVAE, .crVAE, .simclr, .moco, .vicreg, .byol, .barlowTwins, .random,
    ]

    nonisolated(unsafe) private static var added: [Method] = []
    private static let lock = NSLock()

    /// Every method `--method` accepts: the shipped ones, then those registered by other packages.
    public static var registered: [Method] { shipped + lock.withLock { added } }

    /// The registered names, comma-separated, for help and messages.
    public static var names: String { names(of: { _ in true }) }

    /// The names of the registered methods that `include` accepts, comma-separated.
    public static func names(of include: (Method) -> Bool) -> String {
        registered.filter(include).map(\.name).joined(separator: ", ")
    }

    /// The registered method called `name`.
    public static func named(_ name: String) -> Method? { registered.first { $0.name == name } }

    /// Adds a method from another package, so that `simvae train`, `config.json` and experiments know it.
    /// - Throws: `ConfigurationError` when a method of that name is already registered.
    public static func register(_ method: Method) throws {
        try lock.withLock {
            guard !(shipped + added).contains(method) else {
                throw ConfigurationError("a method named '\(method.name)' is already registered")
            }
            added.append(method)
        }
    }
}
