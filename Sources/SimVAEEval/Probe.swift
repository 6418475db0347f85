import Torch

/// The head of a probe (PAPER.md §6): linear `zdim → outputs`, or MLP `zdim → zdim → outputs` with ReLU.
public enum ProbeHead: String, Sendable, CaseIterable {
    /// Acc-LP: one linear layer.
    case linear
    /// Acc-MP: one hidden layer as wide as the representation, ReLU.
    case mlp
}

/// A probe's score on the test split, with the Adam steps its training took before it stopped.
public struct ProbeOutcome<Score: Sendable & Equatable>: Sendable, Equatable {
    /// The test score: an accuracy, or one accuracy or R² per output.
    public let score: Score
    /// Adam steps trained (see `ProbeSettings` for when training stops).
    public let steps: Int
}

extension ProbeOutcome<[Double]> {
    /// The mean of the scores (the mean attribute accuracy), with the same steps.
    var averaged: ProbeOutcome<Double> {
        ProbeOutcome<Double>(score: score.reduce(0, +) / Double(Swift.max(1, score.count)), steps: steps)
    }
}

/// A probe trained on frozen training-split representations and scored on the test split: multi-class
/// classification (softmax cross-entropy), binary or multi-label attributes (one sigmoid output per attribute,
/// binary cross-entropy), or regression (squared error on standardised targets, scored by R²). Each trains until
/// the convergence criterion of `ProbeSettings`, measured on a held-out part of the training split, stops it.
public struct Probe: Sendable {
    /// How the probe is built and trained.
    public var settings: ProbeSettings

    /// Creates a probe with the given settings.
    public init(_ settings: ProbeSettings = ProbeSettings()) { self.settings = settings }

    /// Trains on class indices and returns the test accuracy, with the steps trained.
    ///
    /// - Parameters:
    ///   - train: representations [N, D] and class indices [N] of the training split.
    ///   - test: representations [M, D] and class indices [M] of the test split.
    ///   - progress: receives the steps trained so far, now and then.
    /// - Throws: `EvaluationError` for invalid settings, shapes, labels or non-finite representations.
    public func classify(train: (representations: Tensor, labels: Tensor),
                         test: (representations: Tensor, labels: Tensor),
                         progress: (_ steps: Int) -> Void = { _ in }) throws -> ProbeOutcome<Double> {
        let (trainInputs, testInputs) = try checkedInputs(train.representations, test.representations)
        let trainLabels = try RepresentationChecks.classLabels(train.labels, rows: trainInputs.size(0), "training split")
        let testLabels = try RepresentationChecks.classLabels(test.labels, rows: testInputs.size(0), "test split")
        let classes = RepresentationChecks.classCount(trainLabels, testLabels)
        let trained = try ProbeTraining(settings: settings, loss: .softmax)
            .train(inputs: trainInputs, targets: trainLabels, outputs: classes, progress: progress)
        let accuracy = withNoGrad { (trained(testInputs).argmax(dim: 1) .== testLabels).to(.float64).mean().item }
        return ProbeOutcome(score: accuracy, steps: trained.steps)
    }

    /// Trains one sigmoid output per binary attribute (a single column for a binary task) and returns the test
    /// accuracy of each attribute, with the steps trained.
    ///
    /// - Parameters:
    ///   - train: representations [N, D] and 0/1 attributes [N, A] (or [N]) of the training split.
    ///   - test: representations [M, D] and 0/1 attributes [M, A] (or [M]) of the test split.
    ///   - progress: receives the steps trained so far, now and then.
    /// - Throws: `EvaluationError` for invalid settings, shapes, non-binary attributes or non-finite values.
    public func classifyAttributes(train: (representations: Tensor, labels: Tensor),
                                   test: (representations: Tensor, labels: Tensor),
                                   progress: (_ steps: Int) -> Void = { _ in }) throws -> ProbeOutcome<[Double]> {
        let (trainInputs, testInputs, trainTargets, testTargets) = try checkedMatrices(
            train, test, "attributes", RepresentationChecks.binaryMatrix)
        let trained = try ProbeTraining(settings: settings, loss: .sigmoid)
            .train(inputs: trainInputs, targets: trainTargets, outputs: trainTargets.size(1), progress: progress)
        let accuracies = withNoGrad {
            ((trained(testInputs) .> 0).float .== testTargets).to(.float64).mean(dim: 0).scalars(as: Double.self)
        }
        return ProbeOutcome(score: accuracies, steps: trained.steps)
    }

    /// Trains a regression on continuous targets (standardised with training statistics) and returns the test
    /// coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)² of each target (ȳ the test mean, as
    /// scikit-learn's `r2_score`; a constant test target scores 1 when predicted exactly, else 0), with the
    /// steps trained.
    ///
    /// - Parameters:
    ///   - train: representations [N, D] and targets [N, K] (or [N]) of the training split.
    ///   - test: representations [M, D] and targets [M, K] (or [M]) of the test split.
    ///   - progress: receives the steps trained so far, now and then.
    /// - Throws: `EvaluationError` for invalid settings, shapes or non-finite values.
    public func regress(train: (representations: Tensor, labels: Tensor),
                        test: (representations: Tensor, labels: Tensor),
                        progress: (_ steps: Int) -> Void = { _ in }) throws -> ProbeOutcome<[Double]> {
        let (trainInputs, testInputs, trainTargets, testTargets) = try checkedMatrices(
            train, test, "targets", RepresentationChecks.targetMatrix)
        let scaling = Standardization(trainTargets)
        let trained = try ProbeTraining(settings: settings, loss: .squaredError)
            .train(inputs: trainInputs, targets: scaling(trainTargets), outputs: trainTargets.size(1),
                   progress: progress)
        let scores = withNoGrad {
            let predictions = scaling.inverse(trained(testInputs))
            let residual = (testTargets - predictions).squared().sum(dim: 0).scalars(as: Double.self)
            let spread = (testTargets - testTargets.mean(dim: 0, keepDims: true)).squared().sum(dim: 0)
                .scalars(as: Double.self)
            return zip(residual, spread).map { residual, spread in
                spread > 0 ? 1 - residual / spread : (residual == 0 ? 1 : 0)
            }
        }
        return ProbeOutcome(score: scores, steps: trained.steps)
    }

    private func checkedInputs(_ train: Tensor, _ test: Tensor) throws -> (Tensor, Tensor) {
        try settings.validate()
        try RepresentationChecks.representations(train, "training")
        try RepresentationChecks.representations(test, "test")
        try sameWidth(train, test, "test representations")
        return (train.float, test.float)
    }

    /// Checked inputs of both splits and their target matrices, checked by `check` (named "training <noun>" and
    /// "test <noun>" in errors) and of equal width.
    private func checkedMatrices(_ train: (representations: Tensor, labels: Tensor),
                                 _ test: (representations: Tensor, labels: Tensor), _ noun: String,
                                 _ check: (Tensor, Int, String) throws -> Tensor)
        throws -> (trainInputs: Tensor, testInputs: Tensor, trainTargets: Tensor, testTargets: Tensor) {
        let (trainInputs, testInputs) = try checkedInputs(train.representations, test.representations)
        let trainTargets = try check(train.labels, trainInputs.size(0), "training \(noun)")
        let testTargets = try check(test.labels, testInputs.size(0), "test \(noun)")
        try sameWidth(trainTargets, testTargets, "test \(noun)")
        return (trainInputs, testInputs, trainTargets, testTargets)
    }

    private func sameWidth(_ train: Tensor, _ test: Tensor, _ what: String) throws {
        guard train.size(1) == test.size(1) else {
            throw EvaluationError.unexpectedShape(what: what, shape: test.shape,
                                                  expected: "\(train.size(1)) columns as in the training split")
        }
    }
}
