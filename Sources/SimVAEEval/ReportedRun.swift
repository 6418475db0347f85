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

    /// Creates a run; metrics and images are optional.
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
