import SimVAEMethods

/// The `simvae train` flags of the methods' own hyperparameters (`--temperature 0.3`, `--projection=512,128`),
/// which depend on `--method` and so are parsed after it.
enum MethodOptionArguments {
    /// Sets the hyperparameters that `arguments` name in `configuration`, whose method they must belong to.
    /// - Throws: a sentence naming the flag when it is unknown, another method's, lacks a value or has a bad one.
    static func apply(_ arguments: [String], to configuration: inout TrainingConfiguration) throws {
        let method = configuration.method
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--") else {
                throw ConfigurationError("unexpected argument '\(argument)'")
            }
            let (flag, inline) = split(argument)
            guard let parameter = method.hyperparameters.first(where: { $0.flag == flag }) else {
                throw ConfigurationError(complaint(about: flag, method: method))
            }
            guard let text = inline ?? remaining.popFirst() else {
                throw ConfigurationError("\(flag) needs a value")
            }
            try configuration.options.set(parsing: text, for: parameter)
        }
    }

    /// `--flag=value` as the flag and the value, `--flag` as the flag alone.
    private static func split(_ argument: String) -> (flag: String, value: String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// Why `flag` is refused: it belongs to other methods, or to none.
    private static func complaint(about flag: String, method: Method) -> String {
        let owners = Method.registered.filter { $0.hyperparameters.contains { $0.flag == flag } }
        let own = method.hyperparameters.isEmpty ? "it has no options of its own"
            : "its options are " + method.hyperparameters.map(\.flag).joined(separator: ", ")
        if owners.isEmpty { return "unknown option '\(flag)' (see simvae train --help)" }
        return "\(flag) is not an option of \(method.name) but of \(owners.map(\.name).joined(separator: ", ")); "
            + own
    }

    /// Every method with its views and options, for `simvae train --help`.
    static var help: String {
        Method.registered.map { method in
            let views = method.defaultViews == 1 ? "1 view" : "\(method.defaultViews) views per set"
            let options = method.hyperparameters.map { parameter in
                "\n    \(parameter.flag)  \(parameter.help) (default \(parameter.defaultText))"
            }
            return "  \(method.name): \(method.summary); \(views)" + options.joined()
        }.joined(separator: "\n")
    }
}
