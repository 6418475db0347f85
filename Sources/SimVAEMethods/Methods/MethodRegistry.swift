import Torch

extension Method: RegisteredByName {
    /// Every method `--method` accepts: the shipped ones, in the order `simvae experiment table1` runs them, then
    /// those another package registers with `Method.register(_:)`.
    public static let registry = NamedRegistry<Method>(
        kind: "method",
        shipped: [.simvae, .vae, .betaVAE, .crVAE, .simclr, .moco, .vicreg, .byol, .barlowTwins, .random],
        name: \.name)

    /// Every registered method.
    public static var registered: [Method] { registry.entries }

    /// The registered names, comma-separated, for help and messages.
    public static var names: String { registry.names }

    /// The names of the registered methods that `include` accepts, comma-separated.
    public static func names(of include: (Method) -> Bool) -> String {
        registered.filter(include).map(\.name).joined(separator: ", ")
    }

    /// The registered method called `name`.
    public static func named(_ name: String) -> Method? { registry.named(name) }

    /// Adds a method from another package, so that `simvae train`, `config.json` and experiments know it.
    /// - Throws: `NamedRegistry.DuplicateName` when a method of that name is already registered.
    public static func register(_ method: Method) throws { try registry.register(method) }
}
