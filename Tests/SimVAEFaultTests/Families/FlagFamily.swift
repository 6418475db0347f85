import Foundation

/// (e) Every numeric and string flag of train, eval, sample, reconstruct, train-decoder, experiment, report and
/// data check given 0, −1, huge values (10⁶, 2³², 1e400), nan, inf, empty strings and non-numbers.
enum FlagFamily {
    static let name = "flags"

    static let values = ["0", "-1", "1000000", "4294967296", "1e400", "nan", "inf", "-inf", "", "abc", "1.5", "0x10",
                         "9223372036854775808", " 5", "1e6"]

    enum Verdict {
        case reject, valid
        /// Valid but too long to run (trains for a million epochs): not generated.
        case skip
    }

    /// The command a flag belongs to, with the arguments a case starts from.
    enum Command: Equatable {
        case train(String)
        case eval, sample, reconstruct, trainDecoder, experiment, report, dataCheck

        var label: String {
            switch self {
            case .train(let method): "train --method \(method)"
            case .eval: "eval"
            case .sample: "sample"
            case .reconstruct: "reconstruct"
            case .trainDecoder: "train-decoder"
            case .experiment: "experiment table1"
            case .report: "report"
            case .dataCheck: "data check"
            }
        }

        var timeout: Double {
            switch self {
            case .train, .trainDecoder: TimeLimit.training
            case .experiment: TimeLimit.heavy
            default: TimeLimit.quick
            }
        }

        /// The starting arguments, and the run files to protect, in `folder`.
        func arguments(in folder: String) throws -> (arguments: [String], protected: [String]) {
            let threads = ["--threads", "1"]
            switch self {
            case .train(let method):
                var arguments = ["train", "--method", method, "--dataset", "fashion-mnist", "--data-dir", try Fixtures.idx(),
                                 "--run", "\(folder)/run", "--limit", "64", "--views", "2", "--batch-size", "16",
                                 "--epochs", "1"] + threads
                if method == "moco" { arguments += ["--queue-size", "32", "--projection", "32,16"] }
                if method == "vicreg" { arguments += ["--projection", "32,16"] }
                return (arguments, [])
            case .eval, .sample, .reconstruct, .report:
                let (run, protected) = try Fixtures.copy(.simvae, into: folder)
                let arguments: [String] = switch self {
                case .eval: ["eval", "--run", run, "--probes", "knn", "--limit", "64"] + threads
                case .sample: ["sample", "--run", run, "--out", "\(folder)/out.png", "--count", "4"] + threads
                case .reconstruct: ["reconstruct", "--run", run, "--out", "\(folder)/out.png", "--count", "8"] + threads
                default: ["report", "--runs", run, "--out", "\(folder)/report.html"]
                }
                return (arguments, protected)
            case .trainDecoder:
                let (run, protected) = try Fixtures.copy(.moco, into: folder)
                return (["train-decoder", "--run", run, "--epochs", "1", "--batch-size", "16", "--lr", "0.001"] + threads,
                        protected)
            case .experiment:
                return (["experiment", "table1", "--dataset", "fashion-mnist", "--data-dir", try Fixtures.idx(),
                         "--methods", "simvae", "--seeds", "1", "--epochs", "1", "--views", "2", "--limit", "64",
                         "--out", "\(folder)/experiment", "--jobs", "1"], [])
            case .dataCheck:
                return (["data", "check", "--dataset", "fashion-mnist", "--data-dir", try Fixtures.idx()], [])
            }
        }
    }

    struct Spec {
        let command: Command
        let flag: String
        let verdict: (String) -> Verdict
        /// Other acceptable names in a rejection (e.g. a path the value names).
        var extraNames: [String] = []
    }

    // MARK: Value rules

    static func int(_ value: String, _ valid: (Int) -> Bool, expensiveFrom: Int = .max) -> Verdict {
        guard let number = Int(value) else { return .reject }
        return !valid(number) ? .reject : number >= expensiveFrom ? .skip : .valid
    }

    static func double(_ value: String, _ valid: (Double) -> Bool) -> Verdict {
        guard let number = Double(value), number.isFinite else { return .reject }
        return valid(number) ? .valid : .reject
    }

    static func oneOf(_ accepted: [String]) -> (String) -> Verdict {
        { accepted.contains($0) ? .valid : .reject }
    }

    static let threads: @Sendable (String) -> Verdict = { int($0, { $0 >= 1 && $0 <= 4096 }) }

    static func specs() -> [Spec] {
        var specs: [Spec] = []
        let simvae = Command.train("simvae"), moco = Command.train("moco"), vicreg = Command.train("vicreg")
        let betaVAE = Command.train("beta-vae"), crVAE = Command.train("cr-vae")
        specs += [
            Spec(command: simvae, flag: "--epochs", verdict: { int($0, { $0 >= 1 }, expensiveFrom: 100) }),
            Spec(command: simvae, flag: "--batch-size", verdict: { int($0, { $0 >= 2 && $0 <= 128 }) }),
            Spec(command: simvae, flag: "--views", verdict: { int($0, { $0 >= 2 && $0 <= 16 }) }),
            Spec(command: simvae, flag: "--zdim", verdict: { int($0, { $0 >= 1 && $0 <= 100_000 }) }),
            Spec(command: simvae, flag: "--lr", verdict: { double($0, { $0 > 0 }) }),
            Spec(command: simvae, flag: "--seed", verdict: { UInt64($0) == nil ? .reject : .valid }),
            Spec(command: simvae, flag: "--limit", verdict: { int($0, { $0 >= 8 }) }),
            Spec(command: simvae, flag: "--cluster-variance", verdict: { double($0, { $0 > 0 }) }),
            Spec(command: betaVAE, flag: "--beta", verdict: { double($0, { $0 >= 0 }) }),
            Spec(command: crVAE, flag: "--consistency-weight", verdict: { double($0, { $0 >= 0 }) }),
            // Another method's option is refused, not silently ignored.
            Spec(command: simvae, flag: "--temperature", verdict: { _ in .reject }),
            Spec(command: simvae, flag: "--log-every", verdict: { int($0, { $0 >= 1 }) }),
            Spec(command: simvae, flag: "--threads", verdict: threads),
            // The fixture's batch holds 8 sets, which 1, 2, 4 and 8 ranks share evenly; more than 2 ranks is slow.
            Spec(command: simvae, flag: "--nproc", verdict: {
                int($0, { (1 ... 64).contains($0) && 8 % $0 == 0 }, expensiveFrom: 3)
            }),
            Spec(command: simvae, flag: "--dist-timeout", verdict: { double($0, { $0 >= 1 }) }),
            Spec(command: simvae, flag: "--augmentation", verdict: oneOf(["paper", "paper-horizontal", "simclr", "none"])),
            Spec(command: simvae, flag: "--method", verdict: oneOf([])),
            Spec(command: simvae, flag: "--dataset", verdict: oneOf([])),
            Spec(command: simvae, flag: "--optimizer", verdict: oneOf([])),
            Spec(command: simvae, flag: "--objective", verdict: oneOf([])),
            Spec(command: simvae, flag: "--centre-prior", verdict: oneOf([])),
            Spec(command: simvae, flag: "--data-dir", verdict: { _ in .reject }),
            Spec(command: simvae, flag: "--run", verdict: { $0.isEmpty ? .reject : .valid }),
            Spec(command: moco, flag: "--temperature", verdict: { double($0, { $0 > 0 }) }),
            Spec(command: moco, flag: "--moco-momentum", verdict: { double($0, { $0 >= 0 && $0 < 1 }) }),
            Spec(command: moco, flag: "--queue-size", verdict: { int($0, { $0 >= 1 && $0 <= 1_000_000 }) }),
            Spec(command: moco, flag: "--projection", verdict: {
                int($0.trimmingCharacters(in: .whitespaces), { $0 >= 1 && $0 <= 1_000_000 })
            }),
            Spec(command: vicreg, flag: "--invariance-weight", verdict: { double($0, { $0 >= 0 }) }),
            Spec(command: vicreg, flag: "--variance-weight", verdict: { double($0, { $0 >= 0 }) }),
            Spec(command: vicreg, flag: "--covariance-weight", verdict: { double($0, { $0 >= 0 }) }),
            Spec(command: .eval, flag: "--limit", verdict: { int($0, { $0 >= 10 }) }),
            Spec(command: .eval, flag: "--probes", verdict: oneOf(["linear", "mlp", "knn", "gmm", "style"])),
            Spec(command: .eval, flag: "--threads", verdict: threads),
            Spec(command: .eval, flag: "--run", verdict: { _ in .reject }, extraNames: ["config.json"]),
            Spec(command: .sample, flag: "--count", verdict: { int($0, { $0 >= 1 && $0 <= 100_000 }) }),
            Spec(command: .sample, flag: "--out", verdict: { $0.isEmpty ? .reject : .valid }),
            Spec(command: .sample, flag: "--threads", verdict: threads),
            Spec(command: .reconstruct, flag: "--count", verdict: { int($0, { $0 >= 8 && $0 % 8 == 0 }) }),
            Spec(command: .reconstruct, flag: "--out", verdict: { $0.isEmpty ? .reject : .valid }),
            Spec(command: .trainDecoder, flag: "--epochs", verdict: { int($0, { $0 >= 1 }, expensiveFrom: 100) }),
            Spec(command: .trainDecoder, flag: "--batch-size", verdict: { int($0, { $0 >= 1 }) }),
            Spec(command: .trainDecoder, flag: "--lr", verdict: { double($0, { $0 > 0 }) }),
            Spec(command: .trainDecoder, flag: "--threads", verdict: threads),
            Spec(command: .experiment, flag: "--seeds", verdict: { int($0, { $0 >= 1 }, expensiveFrom: 4) }),
            Spec(command: .experiment, flag: "--epochs", verdict: { int($0, { $0 >= 1 }, expensiveFrom: 4) }),
            Spec(command: .experiment, flag: "--views", verdict: { int($0, { $0 >= 2 && $0 <= 128 }) }),
            Spec(command: .experiment, flag: "--limit", verdict: { int($0, { $0 >= 64 }) }),
            Spec(command: .experiment, flag: "--jobs", verdict: { int($0, { $0 >= 1 }) }),
            Spec(command: .experiment, flag: "--methods", verdict: oneOf(["simvae"])),
            // A valid --out runs the whole experiment (tens of seconds): one such case is enough.
            Spec(command: .experiment, flag: "--out", verdict: { $0.isEmpty ? .reject : $0 == "abc" ? .valid : .skip }),
            Spec(command: .experiment, flag: "--data-dir", verdict: { _ in .reject }),
            Spec(command: .report, flag: "--out", verdict: { $0.isEmpty ? .reject : .valid }),
            Spec(command: .report, flag: "--markdown", verdict: { $0.isEmpty ? .reject : .valid }),
            Spec(command: .report, flag: "--runs", verdict: { _ in .reject }, extraNames: ["config.json"]),
            Spec(command: .dataCheck, flag: "--dataset", verdict: oneOf([])),
            Spec(command: .dataCheck, flag: "--data-dir", verdict: { _ in .reject }),
        ]
        return specs
    }

    /// The flag reproductions, run first.
    static let priority: [(command: Command, flag: String, value: String, reject: Bool)] = [
        (.train("simvae"), "--run", "", true),
        (.train("simvae"), "--threads", "4294967296", true),
        (.train("simvae"), "--threads", "1000000", true),
        (.train("simvae"), "--zdim", "1000000", true),
        (.sample, "--count", "1000000", true),
        (.train("simvae"), "--cluster-variance", "1e400", true),
        (.train("vicreg"), "--batch-size", "2", true),
        (.train("simvae"), "--lr", "10", false),
        (.eval, "--run", "", true),
        (.train("simvae"), "--data-dir", "", true),
    ]

    /// All (spec, value) pairs that are generated, in a fixed order.
    static let pairs: [(spec: Int, value: String)] = {
        let all = specs()
        return all.indices.flatMap { index in
            values.filter { all[index].verdict($0) != .skip }.map { (index, $0) }
        }
    }()

    static func make(_ index: Int) throws -> FuzzCase {
        var random = CaseRandom(family: name, index: index)
        let all = specs()
        let command: Command, flag: String, value: String, reject: Bool, extraNames: [String]
        if index < priority.count {
            (command, flag, value, reject) = priority[index]
            extraNames = []
        } else {
            // Every pair once in a seeded order, then seeded repeats.
            let position = index - priority.count
            let pair = position < pairs.count ? pairs[shuffled[position]] : random.pick(pairs)
            let spec = all[pair.spec]
            (command, flag, value) = (spec.command, spec.flag, pair.value)
            reject = spec.verdict(value) == .reject
            extraNames = spec.extraNames
        }
        // A path-like value is named by the path as well (its own text, or as a folder prefix).
        let pathFlags: Set<String> = ["--data-dir", "--run", "--runs", "--out", "--markdown"]
        let paths = pathFlags.contains(flag) && !value.isEmpty ? (value.count >= 3 ? [value] : ["\(value)/"]) : []
        let names = [flag] + extraNames + paths
        let expectation: Expectation = reject ? .mustReject(naming: names) : .mustNotCrash(naming: names)
        return FuzzCase(family: name, index: index, mutation: "\(command.label) \(flag) \(CaseReport.quoted(value))",
                        expectation: expectation) { folder in
            var (arguments, protected) = try command.arguments(in: folder)
            if let position = arguments.firstIndex(of: flag), position + 1 < arguments.count {
                arguments[position + 1] = value
            } else {
                arguments += [flag, value]
            }
            return Invocation(arguments: arguments, protected: protected, timeout: command.timeout)
        }
    }

    /// A seeded permutation of the pairs, so a small campaign samples every flag rather than the first few.
    static let shuffled: [Int] = {
        var order = Array(pairs.indices)
        var random = CaseRandom(family: name + "-order", index: 0)
        for index in order.indices.reversed() where index > 0 {
            order.swapAt(index, random.int(0 ... index))
        }
        return order
    }()
}
