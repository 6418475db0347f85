import SimVAEMethods

/// Runs sorted into experiments: groups of runs that differ only in their seed, each summarised as one row.
///
/// Two runs belong to one group when they have the same dataset, method and `configuration` and their scores
/// were obtained the same way (the checkpoint epoch, `--limit` and protocol settings stored in `eval.json`).
/// Runs that differ in any of these form separate groups, labelled with what differs. A run whose seed is
/// already in its group is a duplicate, not another seed: it is counted once (the first run given is kept)
/// and listed in `duplicates`.
public struct RunGrouping: Equatable, Sendable {
    /// One experiment: its runs of distinct seeds.
    public struct Group: Equatable, Sendable {
        /// The dataset identifier.
        public let dataset: String
        /// The method identifier.
        public let method: String
        /// What tells this group apart from the other groups of its method on its dataset, e.g. `["epochs 2"]`;
        /// empty when there is no other group.
        public let distinctions: [String]
        /// One run per distinct seed, in the order given.
        public let runs: [ReportedRun]

        /// The method's name with the distinctions, e.g. `"SimVAE (epochs 2)"`, or just `"SimVAE"`. With more than
        /// two distinctions, which would not fit a table cell, the first run's folder name stands for them
        /// (`"SimVAE (s1)"`, `"SimVAE (s1 +2 seeds)"`).
        public var label: String {
            let name = Method.named(method)?.displayName ?? method
            guard distinctions.count > 2, let first = runs.first else {
                return distinctions.isEmpty ? name : "\(name) (\(distinctions.joined(separator: ", ")))"
            }
            let folder = first.name.split(separator: "/").last.map(String.init) ?? first.name
            return "\(name) (\(folder)\(runs.count > 1 ? " +\(runs.count - 1) seeds" : ""))"
        }
    }

    /// A run with the same configuration, evaluation and seed as an earlier one.
    public struct Duplicate: Equatable, Sendable, CustomStringConvertible {
        /// The name of the run left out.
        public let repeated: String
        /// The name of the earlier run, which is counted.
        public let original: String
        /// The seed both have.
        public let seed: Int

        /// The warning as one sentence.
        public var description: String {
            "\(repeated) repeats \(original) (the same configuration and seed \(seed)); it is counted once, as "
                + "\(original)."
        }
    }

    /// The groups, in the order of their first run.
    public let groups: [Group]
    /// The runs left out because they repeat an earlier run's seed in its group, in the order given.
    public let duplicates: [Duplicate]

    /// Sorts `runs` into groups.
    public init(_ runs: [ReportedRun]) {
        struct Identity: Hashable {
            let dataset: String, method: String, configuration: [String: String], evaluation: [String: String]
        }
        var identities: [Identity] = []
        var members: [Identity: [ReportedRun]] = [:]
        var duplicates: [Duplicate] = []
        for run in runs {
            let identity = Identity(dataset: run.dataset, method: run.method, configuration: run.configuration,
                                    evaluation: run.result.evaluationKey)
            if let original = members[identity]?.first(where: { $0.seed == run.seed }) {
                duplicates.append(Duplicate(repeated: run.name, original: original.name, seed: run.seed))
                continue
            }
            if members[identity] == nil { identities.append(identity) }
            members[identity, default: []].append(run)
        }
        /// The keys whose values are not all equal, with a missing key read as "none".
        func differingKeys(_ entries: [[String: String]]) -> [String] {
            Set(entries.flatMap(\.keys)).sorted().filter { key in Set(entries.map { $0[key] ?? "none" }).count > 1 }
        }
        func phrases(_ entries: [String: String], _ keys: [String]) -> [String] {
            keys.map { "\($0) \(entries[$0] ?? "none")" }
        }
        // Configuration differences first; evaluation differences only where the configurations are equal.
        groups = identities.map { identity in
            let siblings = identities.filter { ($0.dataset, $0.method) == (identity.dataset, identity.method) }
            let configurationKeys = differingKeys(siblings.map(\.configuration))
            var distinctions = phrases(identity.configuration, configurationKeys)
            let twins = siblings.filter { phrases($0.configuration, configurationKeys) == distinctions }
            distinctions += phrases(identity.evaluation, differingKeys(twins.map(\.evaluation)))
            return Group(dataset: identity.dataset, method: identity.method, distinctions: distinctions,
                         runs: members[identity] ?? [])
        }
        self.duplicates = duplicates
    }
}
