import Foundation

/// The scores of one run, as stored in its `eval.json` (DESIGN.md §4), plus metadata about where they came from.
///
/// Accuracy-like scores are fractions in [0, 1]; every field is optional because each probe may be skipped.
/// JSON keys are snake_case (`linear_acc`, `knn_k`, …); absent values are omitted when encoding.
public struct EvaluationResult: Codable, Equatable, Sendable {
    /// Top-1 accuracy of the linear probe (Acc-LP).
    public var linearAccuracy: Double?
    /// Top-1 accuracy of the MLP probe (Acc-MP).
    public var mlpAccuracy: Double?
    /// Top-1 accuracy of the best k-nearest-neighbour classifier (Acc-KNN).
    public var knnAccuracy: Double?
    /// The number of neighbours of the best k-nearest-neighbour classifier.
    public var knnNeighbors: Int?
    /// Accuracy of the Gaussian-mixture clustering after Hungarian matching of clusters to classes.
    public var gmmAccuracy: Double?
    /// Normalised mutual information of the Gaussian-mixture clustering.
    public var gmmNormalizedMutualInformation: Double?
    /// Adjusted Rand index of the Gaussian-mixture clustering (may be slightly negative).
    public var gmmAdjustedRandIndex: Double?
    /// Named style-probe scores (fractions), e.g. `"hair_colour": 0.67`.
    public var style: [String: Double]?
    /// The method that produced the representations, e.g. `"simvae"`.
    public var method: String?
    /// The dataset scored, e.g. `"mnist"`.
    public var dataset: String?
    /// The seed of the run.
    public var seed: Int?
    /// The number of training epochs of the scored checkpoint.
    public var epochs: Int?
    /// Wall-clock seconds spent per part of the evaluation, e.g. `"knn": 3.2`.
    public var seconds: [String: Double]?
    /// The protocol's settings, e.g. `"probe_epochs": "50"`, so a score can be read with how it was obtained.
    public var settings: [String: String]?

    /// Creates a result; every score and every piece of metadata is optional.
    public init(
        linearAccuracy: Double? = nil, mlpAccuracy: Double? = nil, knnAccuracy: Double? = nil,
        knnNeighbors: Int? = nil, gmmAccuracy: Double? = nil, gmmNormalizedMutualInformation: Double? = nil,
        gmmAdjustedRandIndex: Double? = nil, style: [String: Double]? = nil, method: String? = nil,
        dataset: String? = nil, seed: Int? = nil, epochs: Int? = nil, seconds: [String: Double]? = nil,
        settings: [String: String]? = nil
    ) {
        self.linearAccuracy = linearAccuracy
        self.mlpAccuracy = mlpAccuracy
        self.knnAccuracy = knnAccuracy
        self.knnNeighbors = knnNeighbors
        self.gmmAccuracy = gmmAccuracy
        self.gmmNormalizedMutualInformation = gmmNormalizedMutualInformation
        self.gmmAdjustedRandIndex = gmmAdjustedRandIndex
        self.style = style
        self.method = method
        self.dataset = dataset
        self.seed = seed
        self.epochs = epochs
        self.seconds = seconds
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case linearAccuracy = "linear_acc"
        case mlpAccuracy = "mlp_acc"
        case knnAccuracy = "knn_acc"
        case knnNeighbors = "knn_k"
        case gmmAccuracy = "gmm_acc"
        case gmmNormalizedMutualInformation = "gmm_nmi"
        case gmmAdjustedRandIndex = "gmm_ari"
        case style, method, dataset, seed, epochs, seconds, settings
    }

    /// The scores that must lie in [0, 1] (ARI is left out: it can be negative), keyed by their JSON name.
    private var fractions: [(key: String, value: Double?)] {
        [
            (CodingKeys.linearAccuracy.rawValue, linearAccuracy), (CodingKeys.mlpAccuracy.rawValue, mlpAccuracy),
            (CodingKeys.knnAccuracy.rawValue, knnAccuracy), (CodingKeys.gmmAccuracy.rawValue, gmmAccuracy),
            (CodingKeys.gmmNormalizedMutualInformation.rawValue, gmmNormalizedMutualInformation),
        ] + (style ?? [:]).sorted { $0.key < $1.key }.map { ("style.\($0.key)", $0.value) }
    }

    /// Checks that every accuracy-like score is a fraction in [0, 1] (the ARI must lie in [-1, 1]).
    ///
    /// - Throws: `EvaluationError.fractionOutOfRange` naming the first offending key.
    public func validate() throws {
        for (key, value) in fractions {
            if let value, !(0...1).contains(value) { throw EvaluationError.fractionOutOfRange(key: key, value: value) }
        }
        if let ari = gmmAdjustedRandIndex, !(-1...1).contains(ari) {
            throw EvaluationError.fractionOutOfRange(key: CodingKeys.gmmAdjustedRandIndex.rawValue, value: ari)
        }
    }

    /// Encodes the result as pretty-printed JSON with sorted snake_case keys (the `eval.json` format).
    ///
    /// - Throws: `EvaluationError` when a score is out of range or not encodable (NaN, infinity).
    public func jsonData() throws -> Data {
        try validate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return try encoder.encode(self)
        } catch {
            throw EvaluationError.malformedJSON(source: "the evaluation result", reason: "\(error)")
        }
    }

    /// Decodes and validates an `eval.json` document.
    ///
    /// - Parameters:
    ///   - data: the JSON bytes.
    ///   - source: a name for the document used in error messages, such as its path.
    /// - Throws: `EvaluationError` when the JSON is malformed or a score is out of range.
    public init(jsonData data: Data, source: String = "eval.json") throws {
        do {
            self = try JSONDecoder().decode(EvaluationResult.self, from: data)
        } catch {
            throw EvaluationError.malformedJSON(source: source, reason: "\(error)")
        }
        try validate()
    }

    /// Reads and validates the `eval.json` file at `url`.
    ///
    /// - Throws: `EvaluationError` when the file is unreadable, malformed or holds an out-of-range score.
    public init(contentsOf url: URL) throws {
        try self.init(jsonData: readFile(url), source: url.path)
    }
}

/// Reads a whole file, turning Foundation's error into an `EvaluationError` with the path in it.
func readFile(_ url: URL) throws -> Data {
    do {
        return try Data(contentsOf: url)
    } catch {
        throw EvaluationError.unreadableFile(path: url.path, reason: error.localizedDescription)
    }
}
