import SimVAEMethods
import Torch

/// k-nearest-neighbour classification of test representations by the labels of their nearest training
/// representations, scored for every k in 1…`maxNeighbors` at once (PAPER.md §6, Acc-KNN).
///
/// The test rows are processed in chunks of `chunkSize`: one [chunk, N_train] block of distances at a time (the
/// full test × train matrix is never materialised), computed as ‖b‖² − 2a·bᵀ with one matrix product (the ‖a‖²
/// term does not change the ranking) or, for the cosine metric, as the product of L2-normalised rows. `topK`
/// keeps the `maxNeighbors` nearest; the votes of every k are counted from that one sorted list. A tie between
/// classes with equally many votes goes to the class whose first neighbour is nearest. Work is in float32.
public struct KNNClassifier: Sendable {
    /// How closeness is measured.
    public enum Metric: String, Sendable, CaseIterable {
        /// Euclidean distance.
        case euclidean
        /// Cosine similarity (the angle between representations).
        case cosine
    }

    /// The distance or similarity used.
    public var metric: Metric
    /// The largest k scored (default 20, the paper's sweep 1…20).
    public var maxNeighbors: Int
    /// Test rows per distance block (default 1024: a 1024 × 60 000 float32 block is 245 MB).
    public var chunkSize: Int
    /// Where the distances, the neighbour search and the votes are computed (the inputs are moved there).
    public var device: Device

    /// Creates a classifier; the defaults are the paper's sweep over k = 1…20 with Euclidean distance.
    public init(metric: Metric = .euclidean, maxNeighbors: Int = 20, chunkSize: Int = 1024, device: Device = .cpu) {
        self.metric = metric
        self.maxNeighbors = maxNeighbors
        self.chunkSize = chunkSize
        self.device = device
    }

    /// Classifies every test representation for k = 1…`maxNeighbors` and scores the predictions.
    ///
    /// - Parameters:
    ///   - train: training representations [N, D] and their class indices [N].
    ///   - test: test representations [M, D] and their class indices [M].
    ///   - progress: told the test samples classified after each chunk.
    /// - Throws: `EvaluationError` for mismatched shapes, non-finite values, invalid labels, fewer training
    ///   samples than `maxNeighbors` or a setting out of range.
    public func evaluate(train: (representations: Tensor, labels: Tensor),
                         test: (representations: Tensor, labels: Tensor),
                         progress: WorkProgress = .silent) throws -> KNNResult {
        guard maxNeighbors >= 1 else {
            throw EvaluationError.invalidSetting(name: "maxNeighbors", value: "\(maxNeighbors)", expected: "at least 1")
        }
        guard chunkSize >= 1 else {
            throw EvaluationError.invalidSetting(name: "chunkSize", value: "\(chunkSize)", expected: "at least 1")
        }
        try RepresentationChecks.representations(train.representations, "training")
        try RepresentationChecks.representations(test.representations, "test")
        let trainCount = train.representations.size(0), testCount = test.representations.size(0)
        guard train.representations.size(1) == test.representations.size(1) else {
            throw EvaluationError.unexpectedShape(
                what: "test representations", shape: test.representations.shape,
                expected: "\(train.representations.size(1)) features like the training representations")
        }
        guard trainCount >= maxNeighbors else {
            throw EvaluationError.tooFewSamples(what: "kNN with k up to \(maxNeighbors)", samples: trainCount,
                                                needed: maxNeighbors)
        }
        let trainLabels = try RepresentationChecks.classLabels(train.labels, rows: trainCount, "training split")
        let testLabels = try RepresentationChecks.classLabels(test.labels, rows: testCount, "test split")
        let classes = RepresentationChecks.classCount(trainLabels, testLabels)
        let (trainClasses, testClasses) = (trainLabels.to(device), testLabels.to(device))

        return withNoGrad {
            let reference = prepared(train.representations)
            let referenceT = reference.T.contiguous()
            let squaredNorms = reference.squared().sum(dim: 1).reshaped([1, -1])
            let ranks = Tensor.arange(0, Double(maxNeighbors), device: device).reshaped([1, maxNeighbors, 1])
            var correct = Tensor(zeros: [maxNeighbors], dtype: .float64, device: device)
            for start in stride(from: 0, to: testCount, by: chunkSize) {
                let end = min(start + chunkSize, testCount)
                let queries = prepared(test.representations[start..<end])
                let neighbours: Tensor
                switch metric {
                case .euclidean:
                    let scores = (queries * -2).matmul(referenceT)
                    scores.add_(squaredNorms)
                    neighbours = scores.topK(maxNeighbors, dim: 1, largest: false).indices
                case .cosine:
                    neighbours = queries.matmul(referenceT).topK(maxNeighbors, dim: 1, largest: true).indices
                }
                let predictions = vote(trainClasses.indexSelect(dim: 0, neighbours.reshaped([-1]))
                    .reshaped([end - start, maxNeighbors]), classes: classes, ranks: ranks)
                let hits = predictions .== testClasses[start..<end].unsqueezed(dim: 1)
                correct = correct + hits.to(.float64).sum(dim: 0)
                progress.advance("kNN (\(metric.rawValue)), test samples", end, testCount)
            }
            let accuracies = (correct / Double(testCount)).scalars(as: Double.self)
            return KNNResult(metric: metric, accuracies: accuracies)
        }
    }

    /// Representations as float32 on the classifier's device, L2-normalised for the cosine metric.
    private func prepared(_ representations: Tensor) -> Tensor {
        let values = representations.to(device).float
        return metric == .cosine ? Functional.normalize(values, dim: 1) : values
    }

    /// Majority votes for every k at once from the labels of the sorted neighbours [rows, K]; returns [rows, K]
    /// predicted classes, column k − 1 holding the vote of the k nearest.
    ///
    /// The score of a class among the first k is `votes · (K + 1) − rank of its nearest neighbour`, so more votes
    /// always win and equal votes go to the class seen first.
    private func vote(_ labels: Tensor, classes: Int, ranks: Tensor) -> Tensor {
        let oneHot = labels.oneHot(classes: classes).float
        let votes = oneHot.cumulativeSum(dim: 1)
        let firstRank = (oneHot * ranks + (1 - oneHot) * Double(maxNeighbors)).min(dim: 1, keepDims: true).values
        return (votes * Double(maxNeighbors + 1) - firstRank).argmax(dim: 2)
    }
}

/// The accuracies of a k-nearest-neighbour classifier over a sweep of k.
public struct KNNResult: Equatable, Sendable {
    /// The metric used.
    public let metric: KNNClassifier.Metric
    /// Test accuracy for k = 1, 2, …: `accuracies[k - 1]`.
    public let accuracies: [Double]

    /// The best k (the smallest one when several score the same).
    public var bestNeighbors: Int {
        let best = bestAccuracy
        return (accuracies.firstIndex(of: best) ?? 0) + 1
    }

    /// The highest accuracy over the sweep.
    public var bestAccuracy: Double { accuracies.max() ?? 0 }
}
