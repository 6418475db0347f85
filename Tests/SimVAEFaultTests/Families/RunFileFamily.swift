import Foundation

/// (b) A run's own files made wrong: every `config.json` key given a wrong type, 0, −1, a huge value, "nan",
/// null or removed; `trainer.json` inconsistent with the checkpoint or malformed; `eval.json` and `metrics.jsonl`
/// garbage; files missing or replaced by folders. Used with the commands that read a run folder.
enum RunFileFamily {
    static let name = "run-files"

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

    // MARK: trainer.json, eval.json, metrics.jsonl, missing files

    /// An edit of another run file: its description, the file, its new bytes (nil: removed; a folder when
    /// `asFolder`), and per command whether it must be refused.
    struct FileEdit {
        let description: String
        let file: String
        let bytes: [UInt8]?
        var asFolder = false
        let rejectedBy: Set<RunCommand>
        var names: [String]
    }

    static func fileEdits() -> [FileEdit] {
        let resumes: Set<RunCommand> = [.resume, .resumeMore]
        let readers: Set<RunCommand> = resumes.union([.eval])
        let all: Set<RunCommand> = readers.union([.sample, .reconstruct, .report])
        func trainer(_ json: String) -> [UInt8] { Array(json.utf8) }
        let garbage: [UInt8] = (0 ..< 97).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) }
        var edits: [FileEdit] = [
            FileEdit(description: "trainer.json says epoch 99 finished (checkpoint at 1)", file: "trainer.json",
                     bytes: trainer("{\"epoch\":99,\"step\":792,\"training_seconds\":1,\"finished\":true}"),
                     rejectedBy: resumes, names: ["trainer.json"]),
            FileEdit(description: "config.json missing (checkpoint present)", file: "config.json", bytes: nil,
                     rejectedBy: all, names: ["config.json"]),
            FileEdit(description: "checkpoint missing (trainer.json says finished)", file: "checkpoints/last.safetensors",
                     bytes: nil, rejectedBy: all.subtracting([.report]), names: ["last.safetensors"]),
        ]
        let trainerEdits: [(String, String, Set<RunCommand>)] = [
            // One epoch behind the checkpoint is what a kill between the two writes leaves: valid.
            ("epoch 0 (checkpoint at 1)", "{\"epoch\":0,\"step\":0,\"training_seconds\":1,\"finished\":false}", []),
            ("epoch 1000000000000000", "{\"epoch\":1000000000000000,\"step\":8,\"training_seconds\":1,\"finished\":true}", resumes),
            ("epoch -1", "{\"epoch\":-1,\"step\":8,\"training_seconds\":1,\"finished\":true}", readers),
            ("epoch -1000000000000000", "{\"epoch\":-1000000000000000,\"step\":8,\"training_seconds\":1,\"finished\":false}", readers),
            ("epoch \"1\"", "{\"epoch\":\"1\",\"step\":8,\"training_seconds\":1,\"finished\":true}", readers),
            ("epoch 1.5", "{\"epoch\":1.5,\"step\":8,\"training_seconds\":1,\"finished\":true}", readers),
            ("step 5 (checkpoint at 8)", "{\"epoch\":1,\"step\":5,\"training_seconds\":1,\"finished\":true}", resumes),
            ("step -1", "{\"epoch\":1,\"step\":-1,\"training_seconds\":1,\"finished\":true}", readers),
            ("finished \"yes\"", "{\"epoch\":1,\"step\":8,\"training_seconds\":1,\"finished\":\"yes\"}", readers),
            ("training_seconds \"nan\"", "{\"epoch\":1,\"step\":8,\"training_seconds\":\"nan\",\"finished\":true}", readers),
            ("training_seconds -5", "{\"epoch\":1,\"step\":8,\"training_seconds\":-5,\"finished\":true}", []),
            ("finished false at the last epoch", "{\"epoch\":1,\"step\":8,\"training_seconds\":1,\"finished\":false}", []),
            ("an empty object", "{}", readers),
            ("an array", "[1,8,1,true]", readers),
            ("empty", "", readers),
            ("truncated", "{\"epoch\":1,\"step\":8,\"trai", readers),
        ]
        edits += trainerEdits.map {
            FileEdit(description: "trainer.json \($0.0)", file: "trainer.json", bytes: Array($0.1.utf8),
                     rejectedBy: $0.2, names: ["trainer.json"])
        }
        edits += [
            FileEdit(description: "trainer.json random bytes", file: "trainer.json", bytes: garbage,
                     rejectedBy: readers, names: ["trainer.json"]),
            FileEdit(description: "trainer.json missing", file: "trainer.json", bytes: nil, rejectedBy: [],
                     names: ["trainer.json"]),
            FileEdit(description: "trainer.json is a folder", file: "trainer.json", bytes: [], asFolder: true,
                     rejectedBy: readers, names: ["trainer.json"]),
            FileEdit(description: "config.json is a folder", file: "config.json", bytes: [], asFolder: true,
                     rejectedBy: all, names: ["config.json"]),
            FileEdit(description: "config.json random bytes", file: "config.json", bytes: garbage, rejectedBy: all,
                     names: ["config.json"]),
            FileEdit(description: "config.json empty", file: "config.json", bytes: [], rejectedBy: all,
                     names: ["config.json"]),
            FileEdit(description: "config.json truncated", file: "config.json", bytes: Array("{\"method\":\"simvae\",\"da".utf8),
                     rejectedBy: all, names: ["config.json"]),
            FileEdit(description: "checkpoints/ is a file", file: "checkpoints", bytes: garbage,
                     rejectedBy: all.subtracting([.report]), names: ["checkpoints", "last.safetensors"]),
            FileEdit(description: "the checkpoint is a folder", file: "checkpoints/last.safetensors", bytes: [],
                     asFolder: true, rejectedBy: all.subtracting([.report]), names: ["last.safetensors"]),
        ]
        let evalEdits: [(String, String)] = [
            ("random bytes", String(decoding: garbage, as: UTF8.self)), ("empty", ""), ("an array", "[0.5]"),
            ("knn_acc \"x\"", "{\"knn_acc\":\"x\",\"method\":\"simvae\",\"dataset\":\"fashion-mnist\"}"),
            ("knn_acc 5 (not a fraction)", "{\"knn_acc\":5,\"method\":\"simvae\",\"dataset\":\"fashion-mnist\"}"),
            ("knn_acc -1", "{\"knn_acc\":-1,\"method\":\"simvae\",\"dataset\":\"fashion-mnist\"}"),
            ("knn_acc NaN", "{\"knn_acc\":NaN}"), ("truncated", "{\"knn_acc\":0.2"),
            ("seed 18446744073709551615", "{\"knn_acc\":0.25,\"seed\":18446744073709551615}"),
            ("style not an object", "{\"knn_acc\":0.25,\"style\":3}"),
        ]
        edits += evalEdits.map {
            FileEdit(description: "eval.json \($0.0)", file: "eval.json", bytes: Array($0.1.utf8),
                     rejectedBy: [.report], names: ["eval.json"])
        }
        edits.append(FileEdit(description: "eval.json missing", file: "eval.json", bytes: nil, rejectedBy: [.report],
                              names: ["eval.json"]))
        let metricsEdits: [(String, String)] = [
            ("random bytes", String(decoding: garbage, as: UTF8.self)), ("empty", ""),
            ("a garbage line between records", "{\"epoch\":1,\"step\":8,\"loss\":2}\n#!garbage\n{\"epoch\":1,\"step\":8,\"loss\":1}\n"),
            ("a truncated last line", "{\"epoch\":1,\"step\":8,\"loss\":2}\n{\"epoch\":1,\"st"),
            ("loss as a string", "{\"epoch\":1,\"step\":8,\"loss\":\"low\"}\n"),
            ("step -1", "{\"epoch\":1,\"step\":-1,\"loss\":2}\n"),
            ("step 10^15", "{\"epoch\":1,\"step\":1000000000000000,\"loss\":2}\n"),
            ("a 2 MB line", "{\"epoch\":1,\"step\":8,\"loss\":2,\"pad\":\"" + String(repeating: "x", count: 2 << 20) + "\"}\n"),
            ("an array per line", "[1,2,3]\n[4,5,6]\n"),
        ]
        edits += metricsEdits.map {
            FileEdit(description: "metrics.jsonl \($0.0)", file: "metrics.jsonl", bytes: Array($0.1.utf8), rejectedBy: [],
                     names: ["metrics.jsonl"])
        }
        edits.append(FileEdit(description: "metrics.jsonl missing", file: "metrics.jsonl", bytes: nil, rejectedBy: [],
                              names: ["metrics.jsonl"]))
        edits.append(FileEdit(description: "images/ is a file", file: "images", bytes: garbage, rejectedBy: [],
                              names: ["images"]))
        return edits
    }

    static func make(_ index: Int) throws -> FuzzCase {
        var random = CaseRandom(family: name, index: index)
        let base: Fixtures.Base = index % 4 == 3 ? .moco : .simvae
        let commands = RunCommand.applicable(to: base).filter { $0 != .trainDecoder }
        let configs = configEdits(base: base)
        let files = fileEdits()
        // The reproductions first, then config edits and file edits drawn two to one.
        let priority: [(config: Int?, file: Int?, base: Fixtures.Base, command: RunCommand)] = [
            (0, nil, .simvae, .eval), (1, nil, .simvae, .sample), (2, nil, .simvae, .eval), (3, nil, .moco, .eval),
            (4, nil, .moco, .eval), (0, nil, .simvae, .sample), (5, nil, .simvae, .eval), (6, nil, .simvae, .sample),
            (nil, 0, .simvae, .resume), (nil, 0, .simvae, .resumeMore), (nil, 1, .simvae, .resume),
            (nil, 2, .simvae, .resume), (2, nil, .simvae, .sample), (nil, 1, .simvae, .eval),
        ]
        let chosen: (config: Int?, file: Int?, base: Fixtures.Base, command: RunCommand)
        if index < priority.count {
            chosen = priority[index]
        } else if random.chance(0.65) {
            chosen = (random.int(0 ..< configs.count), nil, base, random.pick(commands))
        } else {
            chosen = (nil, random.int(0 ..< files.count), base, random.pick(commands))
        }
        let command = chosen.command
        let runBase = chosen.base
        if let config = chosen.config {
            let edit = configEdits(base: runBase)[config]
            let text = edit.raw.map { "config.json \(edit.key) = \($0)" } ?? "config.json without \(edit.key)"
            return FuzzCase(family: name, index: index, mutation: "\(runBase.rawValue) run: \(text)",
                            expectation: expectation(edit, base: runBase, command: command)) { folder in
                let (run, protected) = try Fixtures.copy(runBase, into: folder)
                let path = "\(run)/config.json"
                try Files.write(try edited(try Files.read(path), edit), to: path)
                return try command.invocation(runBase, run: run, folder: folder, protected: protected)
            }
        }
        let edit = files[chosen.file!]
        let applies = edit.file != "eval.json" || command == .report || command == .eval
        let expectation: Expectation = edit.rejectedBy.contains(command) && applies
            ? .mustReject(naming: edit.names) : .mustNotCrash(naming: edit.names)
        return FuzzCase(family: name, index: index, mutation: "\(runBase.rawValue) run: \(edit.description)",
                        expectation: expectation) { folder in
            let (run, protected) = try Fixtures.copy(runBase, into: folder)
            let path = "\(run)/\(edit.file)"
            try? FileManager.default.removeItem(atPath: path)
            if edit.asFolder {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } else if let bytes = edit.bytes {
                try Files.write(bytes, to: path)
            }
            return try command.invocation(runBase, run: run, folder: folder, protected: protected)
        }
    }
}
