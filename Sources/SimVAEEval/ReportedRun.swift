import Foundation

/// Everything a report shows about one training run: who it is, its scores, its training curves, its images.
public struct ReportedRun: Equatable, Sendable {
    /// A short unique name, e.g. the run directory's name.
    public var name: String
    /// The method identifier, e.g. `"simvae"`; runs of one method are summarised together over seeds.
    public var method: String
    /// The dataset identifier, e.g. `"mnist"`; each dataset gets its own table.
    public var dataset: String
    /// The run's seed, when known.
    public var seed: Int?
    /// The run's `eval.json`.
    public var result: EvaluationResult
    /// The run's `metrics.jsonl`.
    public var metrics: MetricsLog
    /// A PNG of reconstructions, embedded in the HTML report when given.
    public var reconstructionImage: URL?
    /// A PNG of samples from the prior, embedded in the HTML report when given.
    public var sampleImage: URL?

    public init(
        name: String, method: String, dataset: String, seed: Int? = nil, result: EvaluationResult,
        metrics: MetricsLog = MetricsLog(records: []), reconstructionImage: URL? = nil, sampleImage: URL? = nil
    ) {
        self.name = name
        self.method = method
        self.dataset = dataset
        self.seed = seed
        self.result = result
        self.metrics = metrics
        self.reconstructionImage = reconstructionImage
        self.sampleImage = sampleImage
    }
}

/// A score column of the comparison table.
public enum ScoreColumn: Hashable, Sendable {
    case linearAccuracy, mlpAccuracy, knnAccuracy, gmmAccuracy, gmmNormalizedMutualInformation, gmmAdjustedRandIndex
    /// A named style-probe score from `EvaluationResult.style`.
    case style(String)

    /// The fixed columns, in the paper's order (the style columns follow).
    public static let standard: [ScoreColumn] = [
        .linearAccuracy, .mlpAccuracy, .knnAccuracy, .gmmAccuracy, .gmmNormalizedMutualInformation,
        .gmmAdjustedRandIndex,
    ]

    /// The column's header, e.g. `"Acc-KNN"` or `"Style: hair_colour"`.
    public var title: String {
        switch self {
        case .linearAccuracy: "Acc-LP"
        case .mlpAccuracy: "Acc-MP"
        case .knnAccuracy: "Acc-KNN"
        case .gmmAccuracy: "GMM acc"
        case .gmmNormalizedMutualInformation: "GMM NMI"
        case .gmmAdjustedRandIndex: "GMM ARI"
        case .style(let name): "Style: \(name)"
        }
    }

    /// The column's value in a result, as a fraction, when present.
    public func value(in result: EvaluationResult) -> Double? {
        switch self {
        case .linearAccuracy: result.linearAccuracy
        case .mlpAccuracy: result.mlpAccuracy
        case .knnAccuracy: result.knnAccuracy
        case .gmmAccuracy: result.gmmAccuracy
        case .gmmNormalizedMutualInformation: result.gmmNormalizedMutualInformation
        case .gmmAdjustedRandIndex: result.gmmAdjustedRandIndex
        case .style(let name): result.style?[name]
        }
    }
}
