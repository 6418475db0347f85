import Foundation

/// The `config.json` edits of the run-file family: the values each key is given, their verdicts, and what each
/// command must do with them.
extension RunFileFamily {
    /// How a value relates to what the run folder can hold.
    enum Verdict {
        /// Invalid: every command must refuse it.
        case invalid
        /// Valid, but it describes another model than the checkpoint's: every command must refuse the pair.
        case otherModel
        /// Valid (or treated as absent): nothing may crash; resuming with a flag that contradicts it must refuse.
        case valid
        /// Undecided by the contract (a null, a missing optional key): nothing may crash.
        case lenient
    }

    /// The `simvae train` flag of each `config.json` key (keys without a flag have none).
    static let flags: [String: String] = [
        "epochs": "--epochs", "batch_size": "--batch-size", "views": "--views", "latents": "--zdim",
        "learning_rate": "--lr", "seed": "--seed", "limit": "--limit", "cluster_variance": "--cluster-variance",
        "beta": "--beta", "consistency_weight": "--consistency-weight", "temperature": "--temperature",
        "projection_widths": "--projection", "moco_momentum": "--moco-momentum", "queue_size": "--queue-size",
        "vicreg_weights": "--invariance-weight", "augmentation": "--augmentation", "log_every": "--log-every",
        "optimizer": "--optimizer", "objective": "--objective", "centre_prior": "--centre-prior",
        "method": "--method", "dataset": "--dataset", "data_directory": "--data-dir",
    ]

    /// One edit of `config.json`: the key, the raw JSON put there (nil: the key removed) and its verdict.
    struct ConfigEdit {
        let key: String
        let raw: String?
        let verdict: Verdict
    }

    static let intKeys = ["epochs", "batch_size", "views", "latents", "log_every", "queue_size", "limit", "seed"]
    static let doubleKeys = ["learning_rate", "adam_eps", "cluster_variance", "beta", "consistency_weight",
                             "temperature", "moco_momentum"]

    /// The verdict of a numeric value for a numeric key, on the base runs (64 images, 2 views, 16 per batch).
    static func numericVerdict(_ key: String, _ value: Double, base: Fixtures.Base) -> Verdict {
        let isInt = intKeys.contains(key)
        if isInt && value != value.rounded() { return .invalid }
        switch key {
        case "epochs", "log_every", "limit": return value >= 1 && (key != "limit" || value >= 8) ? .valid : .invalid
        case "batch_size": return value >= 16 && value <= 64 ? .valid : .invalid
        case "views": return value >= 2 && value <= 16 ? .valid : .invalid
        case "latents": return value >= 1 && value <= 4096 ? .otherModel : .invalid
        case "queue_size":
            guard value >= 1 else { return .invalid }
            return base == .moco ? (value <= 1_000_000 ? .otherModel : .invalid) : .valid
        case "seed": return value >= 0 && value <= 18_446_744_073_709_551_615 ? .valid : .invalid
        case "learning_rate", "cluster_variance", "temperature": return value > 0 ? .valid : .invalid
        case "adam_eps", "beta", "consistency_weight": return value >= 0 ? .valid : .invalid
        case "moco_momentum": return value >= 0 && value < 1 ? .valid : .invalid
        default: return .valid
        }
    }

    /// Every edit the family draws from, the reproductions first.
    static func configEdits(base: Fixtures.Base) -> [ConfigEdit] {
        var edits: [ConfigEdit] = [
            ConfigEdit(key: "latents", raw: "0", verdict: .invalid),
            ConfigEdit(key: "latents", raw: "-1", verdict: .invalid),
            ConfigEdit(key: "latents", raw: "1000000", verdict: .invalid),
            ConfigEdit(key: "projection_widths", raw: "[-5]", verdict: .invalid),
            ConfigEdit(key: "queue_size", raw: "-1", verdict: .invalid),
            ConfigEdit(key: "method", raw: "\"simvae-unknown\"", verdict: .invalid),
            ConfigEdit(key: "dataset", raw: "\"unknown-dataset\"", verdict: .invalid),
        ]
        let wrongTypes = ["\"abc\"", "[1]", "{}", "true", "\"nan\""]
        for key in intKeys + doubleKeys {
            for value in [0, -1, 1_000_000, 1_000_000_000_000_000, 1.5] {
                let raw = value == value.rounded() ? String(Int(value)) : String(value)
                edits.append(ConfigEdit(key: key, raw: raw, verdict: numericVerdict(key, value, base: base)))
            }
            edits += wrongTypes.map { ConfigEdit(key: key, raw: $0, verdict: .invalid) }
            edits.append(ConfigEdit(key: key, raw: "null", verdict: .lenient))
            edits.append(ConfigEdit(key: key, raw: nil, verdict: .lenient))
        }
        for key in doubleKeys { edits.append(ConfigEdit(key: key, raw: "1e400", verdict: .invalid)) }
        edits.append(ConfigEdit(key: "seed", raw: "18446744073709551615", verdict: .valid))
        edits.append(ConfigEdit(key: "seed", raw: "18446744073709551616", verdict: .invalid))
        edits.append(ConfigEdit(key: "latents", raw: "5", verdict: .otherModel))
        let enums: [(String, [String], String)] = [
            ("method", [], "\"vae\""), ("dataset", [], "\"mnist\""), ("architecture", [], "\"resnet18\""),
            ("objective", ["\"exact\""], ""), ("centre_prior", ["\"uniform\""], ""), ("optimizer", ["\"lars\""], ""),
            ("augmentation", ["\"none\"", "\"simclr\""], ""),
        ]
        for (key, valid, otherModel) in enums {
            for raw in ["\"\"", "\"nan\"", "\"no-such-\(key)\"", "7", "[]", "{}"] {
                edits.append(ConfigEdit(key: key, raw: raw, verdict: .invalid))
            }
            edits += valid.map { ConfigEdit(key: key, raw: $0, verdict: .valid) }
            if !otherModel.isEmpty {
                edits.append(ConfigEdit(key: key, raw: otherModel, verdict: key == "dataset" ? .valid : .otherModel))
            }
            let required = key == "method" || key == "dataset"
            edits.append(ConfigEdit(key: key, raw: "null", verdict: required ? .invalid : .lenient))
            edits.append(ConfigEdit(key: key, raw: nil, verdict: required ? .invalid : .lenient))
        }
        let moco = base == .moco
        let table: [(key: String, values: [(raw: String?, verdict: Verdict)])] = [
            ("data_directory", [("\"/nonexistent-simvae-data\"", .invalid), ("7", .invalid), ("\"\"", .lenient),
                                (nil, .lenient)]),
            ("likelihood", [("\"gaussian\"", .invalid), ("{\"poisson\":{}}", .invalid),
                            ("{\"gaussian\":{\"log_variance\":\"x\"}}", .invalid),
                            ("{\"gaussian\":{\"log_variance\":1e400}}", .invalid),
                            ("{\"gaussian\":{\"log_variance\":1e15}}", .lenient),
                            ("{\"gaussian\":{\"log_variance\":-4.6}}", .valid), (nil, .lenient)]),
            ("projection_widths", [("[]", .invalid), ("[0]", .invalid), ("[1.5]", .invalid), ("\"512\"", .invalid),
                                   ("[1000000]", moco ? .otherModel : .valid), ("[64,8]", moco ? .otherModel : .valid),
                                   (nil, moco ? .otherModel : .lenient)]),
            // An old file's VICReg weights, which neither base method uses: ignored unless unreadable.
            ("vicreg_weights", [("{\"invariance\":-1,\"variance\":25,\"covariance\":1}", .lenient),
                                ("{\"invariance\":\"nan\",\"variance\":25,\"covariance\":1}", .invalid),
                                ("\"x\"", .invalid), (nil, .lenient)]),
            ("unknown_key", [("1", .lenient)]),
        ]
        edits += table.flatMap { key, values in values.map { ConfigEdit(key: key, raw: $0.raw, verdict: $0.verdict) } }
        return edits.map { edit in
            // Another method's hyperparameter is no option of the base run: refused, whatever its value.
            guard methodKeys.values.contains(where: { $0.contains(edit.key) }),
                  !(methodKeys[base] ?? []).contains(edit.key) else { return edit }
            return ConfigEdit(key: edit.key, raw: edit.raw, verdict: edit.raw == nil ? .lenient : .invalid)
        }
    }

    /// The hyperparameters of each base run's method and of the other methods whose keys the family edits.
    static let methodKeys: [Fixtures.Base?: Set<String>] = [
        .simvae: ["objective", "cluster_variance", "centre_prior"],
        .moco: ["temperature", "projection_widths", "moco_momentum", "queue_size"],
        nil: ["beta", "consistency_weight"],
    ]

    /// The keys the base runs' resume command sets by flag (a contradicting stored value must be refused).
    static func keysSetByResume(_ base: Fixtures.Base) -> Set<String> {
        var keys: Set<String> = ["method", "dataset", "data_directory", "limit", "views", "batch_size"]
        if base == .moco { keys.formUnion(["queue_size", "projection_widths"]) }
        return keys
    }

    static func expectation(_ edit: ConfigEdit, base: Fixtures.Base, command: RunCommand) -> Expectation {
        var names = ["config.json"]
        if command.isResume, let flag = flags[edit.key] { names.append(flag) }
        if edit.key == "data_directory", let raw = edit.raw, raw.hasPrefix("\"/") {
            // report reads no data: a moved data folder is no concern of its.
            if command == .report { return .mustNotCrash(naming: names) }
            names.append(raw.trimmingCharacters(in: ["\""]))
        }
        switch edit.verdict {
        case .invalid: return .mustReject(naming: names)
        case .otherModel: return .mustReject(naming: names + ["last.safetensors"])
        case .valid:
            if command.isResume && keysSetByResume(base).contains(edit.key) { return .mustReject(naming: names) }
            return .mustNotCrash(naming: names + lenientNames(command))
        case .lenient: return .mustNotCrash(naming: names + lenientNames(command))
        }
    }

    /// What else a failure on a possibly valid value may name: the checkpoint it does not fit, or (when resuming
    /// diverges) the learning rate.
    static func lenientNames(_ command: RunCommand) -> [String] {
        command.isResume ? ["last.safetensors", "--lr"] : ["last.safetensors"]
    }

    /// `config.json` of a run with `edit` applied.
    static func edited(_ configuration: Data, _ edit: ConfigEdit) throws -> Data {
        guard let object = try JSONSerialization.jsonObject(with: configuration) as? [String: Any] else {
            throw HarnessError("the base config.json is not an object")
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            fields[key] = String(decoding: try JSONSerialization.data(withJSONObject: value,
                                                                      options: [.fragmentsAllowed, .sortedKeys]),
                                 as: UTF8.self)
        }
        fields[edit.key] = edit.raw
        let body = fields.sorted { $0.key < $1.key }.map { "  \"\($0.key)\" : \($0.value)" }.joined(separator: ",\n")
        return Data("{\n\(body)\n}".utf8)
    }
}
