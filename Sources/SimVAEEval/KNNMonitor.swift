import SimVAEData
import SimVAEMethods
import Torch

/// The online monitor of `simvae train`: the kNN accuracy (best k in 1…20, Euclidean, as `simvae eval`) of a
/// fixed part of the training split, classified by the labels of another fixed part, from the model's
/// representations. It is given the training images only, so it never sees the test split; training still uses
/// every training image (labels are never used for training, so no label leaks into the model).
///
/// The rule: the queries are the last `queryCount` training images (at most a sixth of them), the reference set
/// the first `referenceCount` of the others; with `--limit N` both come from the N images trained on.
public final class KNNMonitor: TrainingMonitor {
    /// The most training images classified, and the most used as their neighbours.
    public static let queryCount = 5_000, referenceCount = 10_000

    /// The images classified.
    public let queries: ImageSet
    /// The images whose labels vote.
    public let reference: ImageSet
    private let classifier: KNNClassifier
    private let device: Device

    public let key = "monitor_knn"
    public let label = "kNN"

    /// A monitor over `trainingImages` (the run's training split, after `--limit`) for a model on `device`.
    /// - Throws: `EvaluationError.tooFewSamples` when the split holds fewer than 2 images.
    public init(trainingImages: ImageSet, device: Device = .cpu) throws {
        self.device = device
        let count = trainingImages.count
        guard count >= 2 else {
            throw EvaluationError.tooFewSamples(what: "the online kNN monitor", samples: count, needed: 2)
        }
        let queryCount = Swift.max(1, Swift.min(Self.queryCount, count / 6))
        queries = trainingImages.rows(count - queryCount ..< count)
        reference = trainingImages.rows(0 ..< Swift.min(Self.referenceCount, count - queryCount))
        classifier = KNNClassifier(maxNeighbors: Swift.min(20, reference.count))
    }

    /// The best accuracy over k of the queries, a fraction in 0…1.
    public func measure(_ model: any Objective) throws -> Double {
        let train = try Representations.features(of: model, images: reference, device: device)
        let test = try Representations.features(of: model, images: queries, device: device)
        return try classifier.evaluate(train: (train.features, train.labels), test: (test.features, test.labels))
            .bestAccuracy
    }
}
