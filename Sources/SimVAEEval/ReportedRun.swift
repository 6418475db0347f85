import Foundation

/// Everything a report shows about one training run: who it is, its scores, its training curves, its images.
public struct ReportedRun: Equatable, Sendable {
    /// A unique name, e.g. the run folder as given on the command line; warnings and plot legends show it.
    public var name: String
    /// The method identifier, e.g. `"simvae"`.
    public var method: String
    /// The dataset identifier, e.g. `"mnist"`; each dataset gets its own table.
    public var dataset: String
    /// The run's seed; runs of one experiment with the same seed are duplicates, not two seeds.
    public var seed: Int
    /// The run's options apart from its seed, by name, as text (e.g. `"epochs": "12"`): runs of one method on
    /// one dataset with equal configurations, evaluated the same way, are seeds of one experiment and are
    /// summarised together (see `RunGrouping`).
    public var configuration: [String: String]
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
        name: String, method: String, dataset: String, seed: Int, configuration: [String: String],
        result: EvaluationResult, metrics: MetricsLog = MetricsLog(records: []), reconstructionImage: URL? = nil,
        sampleImage: URL? = nil
    ) {
        self.name = name
        self.method = method
        self.dataset = dataset
        self.seed = seed
        self.configuration = configuration
        self.result = result
        self.metrics = metrics
        self.reconstructionImage = reconstructionImage
        self.sampleImage = sampleImage
    }
}
