import Torch

/// One style factor to predict from a representation: an augmentation parameter of a view (flip bit, crop
/// centre and scale, jitter factors) or a style factor of the synthetic dataset.
public struct StyleTarget: Sendable, Equatable {
    /// How the factor is predicted and scored.
    public enum Kind: String, Sendable {
        /// A 0/1 factor (a flip bit): a sigmoid output, scored by accuracy.
        case binary
        /// A continuous factor (crop scale, jitter strength): regression, scored by R².
        case continuous
    }

    /// The factor's name, used in the result keys (`<name>_acc`, `<name>_r2`).
    public let name: String
    /// Binary or continuous.
    public let kind: Kind

    /// Creates a target description.
    public init(_ name: String, _ kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// Representations with the style factors of what they represent, for the training and the test split.
/// Column j of the [N, K] factor matrices holds `targets[j]`.
public struct StyleData {
    /// Training representations [N, D] and their factors [N, K].
    public let train: (representations: Tensor, factors: Tensor)
    /// Test representations [M, D] and their factors [M, K].
    public let test: (representations: Tensor, factors: Tensor)
    /// Name and kind of each factor column.
    public let targets: [StyleTarget]

    /// Groups the splits with the description of their factor columns.
    public init(train: (representations: Tensor, factors: Tensor), test: (representations: Tensor, factors: Tensor),
                targets: [StyleTarget]) {
        self.train = train
        self.test = test
        self.targets = targets
    }
}

/// The score of one style factor on the test split: accuracy for binary factors, R² for continuous ones.
public struct StyleScore: Sendable, Equatable {
    /// The factor scored.
    public let target: StyleTarget
    /// Accuracy in [0, 1] or R² (1 is perfect, 0 is no better than the mean, and it may be negative).
    public let value: Double
    /// Adam steps of the probe that scored it (one probe per kind of factor).
    public let steps: Int

    /// The `eval.json` key: `<name>_acc` or `<name>_r2`.
    public var key: String { "\(target.name)_\(target.kind == .binary ? "acc" : "r2")" }
}

/// Style probes (issue item 5): how much of a view's augmentation parameters, or of a synthetic image's style
/// factors, can be read off its representation. Binary factors share one multi-label probe, continuous ones
/// one regression probe; both train on the training split only (default head: MLP, see `ProbeSettings`).
public struct StyleProbe: Sendable {
    /// How the probes are trained.
    public var settings: ProbeSettings

    /// Creates style probes; by default an MLP head with the other `ProbeSettings` defaults.
    public init(_ settings: ProbeSettings = ProbeSettings(head: .mlp)) { self.settings = settings }

    /// Scores every factor on the test split, in the order of `data.targets`; `progress` receives the steps of the
    /// probe in training, now and then.
    ///
    /// - Throws: `EvaluationError` when the factor matrices do not have one column per target, or for any
    ///   problem the probes report (shapes, non-binary flip bits, non-finite values).
    public func evaluate(_ data: StyleData, progress: (_ steps: Int) -> Void = { _ in }) throws -> [StyleScore] {
        for (what, factors) in [("training style factors", data.train.factors), ("test style factors", data.test.factors)]
        where factors.rank != 2 || factors.size(1) != data.targets.count {
            throw EvaluationError.unexpectedShape(what: what, shape: factors.shape,
                                                  expected: "one column per style target (\(data.targets.count))")
        }
        var values = [(value: Double, steps: Int)](repeating: (0, 0), count: data.targets.count)
        let probe = Probe(settings)
        for kind in [StyleTarget.Kind.binary, .continuous] {
            let columns = data.targets.indices.filter { data.targets[$0].kind == kind }
            guard !columns.isEmpty else { continue }
            let index = Tensor(columns.map(Int64.init))
            let train = (data.train.representations, data.train.factors.indexSelect(dim: 1, index))
            let test = (data.test.representations, data.test.factors.indexSelect(dim: 1, index))
            let outcome = kind == .binary
                ? try probe.classifyAttributes(train: train, test: test, progress: progress)
                : try probe.regress(train: train, test: test, progress: progress)
            for (column, score) in zip(columns, outcome.score) { values[column] = (score, outcome.steps) }
        }
        return zip(data.targets, values).map { StyleScore(target: $0, value: $1.value, steps: $1.steps) }
    }
}
