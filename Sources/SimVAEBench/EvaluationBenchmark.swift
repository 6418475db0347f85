import SimVAEEval
import Torch

/// The evaluation's speed figures for `simvae bench`: the kNN sweep, the Gaussian mixture and both probes on
/// synthetic representations the size of (Fashion-)MNIST's: 60 000 training and 10 000 test points, 10-d,
/// 10 classes.
public enum EvaluationBenchmark {
    /// Seeded Gaussian classes: class means drawn from N(0, `spread`² I), points from N(mean, I), labels uniform.
    /// The default spread of 1 leaves the classes overlapping (accuracies near 0.9), like real embeddings.
    public static func syntheticSplits(trainCount: Int = 60_000, testCount: Int = 10_000, classes: Int = 10,
                                       dimension: Int = 10, spread: Double = 1, seed: UInt64 = 0)
        -> (train: (representations: Tensor, labels: Tensor), test: (representations: Tensor, labels: Tensor))
    {
        Runtime.seed(seed)
        let means = Tensor.randn([classes, dimension]) * spread
        let total = trainCount + testCount
        let labels = Tensor.randint(0..<classes, shape: [total])
        let points = means.indexSelect(dim: 0, labels) + Tensor.randn([total, dimension])
        return ((points[0..<trainCount], labels[0..<trainCount]), (points[trainCount..<total], labels[trainCount..<total]))
    }

    /// Runs kNN (k = 1…20), a 10-component full-covariance mixture with 10 restarts and both probes with the
    /// `Evaluator` defaults on `syntheticSplits()`.
    ///
    /// - Returns: `knn_seconds`, `gmm_seconds`, `probes_seconds` (linear + MLP), and the scores reached
    ///   (`knn_acc`, `knn_k`, `gmm_acc`, `linear_acc`, `mlp_acc`) so speed is never bought with accuracy.
    /// - Throws: `EvaluationError` only if the evaluation itself fails (it does not on this data).
    public static func run(seed: UInt64 = 0) throws -> [String: Double] {
        let splits = syntheticSplits(seed: seed)
        let result = try Evaluator(seed: seed).evaluate(train: splits.train, test: splits.test,
                                                        parts: [.linear, .mlp, .knn, .gmm])
        let seconds = result.seconds ?? [:]
        let figures: [String: Double?] = [
            "knn_seconds": seconds["knn"], "gmm_seconds": seconds["gmm"],
            "probes_seconds": (seconds["linear"] ?? 0) + (seconds["mlp"] ?? 0),
            "knn_acc": result.knnAccuracy, "knn_k": result.knnNeighbors.map(Double.init),
            "gmm_acc": result.gmmAccuracy, "linear_acc": result.linearAccuracy, "mlp_acc": result.mlpAccuracy,
        ]
        return figures.compactMapValues { $0 }
    }
}
