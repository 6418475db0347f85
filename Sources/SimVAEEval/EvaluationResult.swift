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
    /// The optimisation step of the scored checkpoint; scores are only merged with scores of the same step.
    public var step: Int?
    /// The `--limit` of the evaluation (the first N images of each split were scored); `nil` for whole splits.
    public var limit: Int?
    /// Wall-clock seconds spent per part of the evaluation, e.g. `"knn": 3.2`.
    public var seconds: [String: Double]?
    /// The protocol's settings, e.g. `"probe_max_steps": "50000"`, so a score can be read with how it was
    /// obtained.
    public var settings: [String: String]?
    /// Adam steps each probe trained before its convergence criterion stopped it, e.g. `"mlp": 5250`
    /// (absent from files written before probes trained to convergence).
    public var probeSteps: [String: Int]?

    /// Creates a result; every score and every piece of metadata is optional.
    public init(
        linearAccuracy: Double? = nil, mlpAccuracy: Double? = nil, knnAccuracy: Double? = nil,
        knnNeighbors: Int? = nil, gmmAccuracy: Double? = nil, gmmNormalizedMutualInformation: Double? = nil,
        gmmAdjustedRandIndex: Double? = nil, style: [String: Double]? = nil, method: String? = nil,
        dataset: String? = nil, seed: Int? = nil, epochs: Int? = nil, step: Int? = nil, limit: Int? = nil,
        seconds: [String: Double]? = nil, settings: [String: String]? = nil, probeSteps: [String: Int]? = nil
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
        self.step = step
        self.limit = limit
        self.seconds = seconds
        self.settings = settings
        self.probeSteps = probeSteps
    }

    enum CodingKeys: String, CodingKey {
        case linearAccuracy = "linear_acc"
        case mlpAccuracy = "mlp_acc"
        case knnAccuracy = "knn_acc"
        case knnNeighbors = "knn_k"
        case gmmAccuracy = "gmm_acc"
        case gmmNormalizedMutualInformation = "gmm_nmi"
        case gmmAdjustedRandIndex = "gmm_ari"
        case probeSteps = "probe_steps"
        case style, method, dataset, seed, epochs, step, limit, seconds, settings
    }

    /// What the value at `key` (or each member of its object) must be: the phrase error messages use, and the
    /// range its numbers must lie in (which also excludes NaN and infinities).
    private static func rule(for key: CodingKeys) -> (expected: String, range: ClosedRange<Double>?) {
        let unbounded = Double.greatestFiniteMagnitude
        switch key {
        case .linearAccuracy, .mlpAccuracy, .knnAccuracy, .gmmAccuracy, .gmmNormalizedMutualInformation, .style:
            return ("a fraction in [0, 1]", 0...1)
        case .gmmAdjustedRandIndex: return ("a number in [-1, 1]", -1...1)
        case .knnNeighbors, .limit, .probeSteps: return ("a whole number ≥ 1", 1...unbounded)
        case .epochs, .step: return ("a whole number ≥ 0", 0...unbounded)
        case .seconds: return ("a number of seconds ≥ 0", 0...unbounded)
        case .seed: return ("a whole number", nil)
        case .method, .dataset, .settings: return ("a string", nil)
        }
    }

    /// Decodes an `eval.json` object, checking the type of every known key; unknown keys are ignored and
    /// `null` counts as absent. Ranges are checked afterwards, by the readers, with the same rules.
    ///
    /// - Throws: an error naming the first key with a value of the wrong type, which `init(jsonData:source:)`
    ///   reports as `EvaluationError.invalidEntry`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys) throws -> T? {
            try container.entry(T.self, forKey: key, expected: Self.rule(for: key).expected)
        }
        func members<T: Decodable>(_ key: CodingKeys) throws -> [String: T]? {
            try container.entries(T.self, forKey: key, expected: Self.rule(for: key).expected)
        }
        self.init(
            linearAccuracy: try value(.linearAccuracy), mlpAccuracy: try value(.mlpAccuracy),
            knnAccuracy: try value(.knnAccuracy), knnNeighbors: try value(.knnNeighbors),
            gmmAccuracy: try value(.gmmAccuracy),
            gmmNormalizedMutualInformation: try value(.gmmNormalizedMutualInformation),
            gmmAdjustedRandIndex: try value(.gmmAdjustedRandIndex), style: try members(.style),
            method: try value(.method), dataset: try value(.dataset), seed: try value(.seed),
            epochs: try value(.epochs), step: try value(.step), limit: try value(.limit),
            seconds: try members(.seconds), settings: try members(.settings), probeSteps: try members(.probeSteps))
    }

    /// Every number of the result with its JSON name (dotted for members of `style` and `seconds`) and rule.
    private var numbers: [(name: String, key: CodingKeys, value: Double?)] {
        let scalars: [(CodingKeys, Double?)] = [
            (.linearAccuracy, linearAccuracy), (.mlpAccuracy, mlpAccuracy), (.knnAccuracy, knnAccuracy),
            (.knnNeighbors, knnNeighbors.map(Double.init)), (.gmmAccuracy, gmmAccuracy),
            (.gmmNormalizedMutualInformation, gmmNormalizedMutualInformation),
            (.gmmAdjustedRandIndex, gmmAdjustedRandIndex), (.epochs, epochs.map(Double.init)),
            (.step, step.map(Double.init)), (.limit, limit.map(Double.init)),
        ]
        func members(_ key: CodingKeys, _ values: [String: Double]?) -> [(String, CodingKeys, Double?)] {
            (values ?? [:]).sorted { $0.key < $1.key }.map { ("\(key.rawValue).\($0.key)", key, $0.value) }
        }
        return scalars.map { ($0.0.rawValue, $0.0, $0.1) } + members(.style, style) + members(.seconds, seconds)
            + members(.probeSteps, probeSteps?.mapValues(Double.init))
    }

    /// Checks that every number lies in its range: fractions (accuracies, NMI, style scores) in [0, 1], the ARI
    /// in [-1, 1], `knn_k`, `limit` and probe steps ≥ 1, `epochs`, `step` and seconds ≥ 0, none NaN or infinite.
    ///
    /// - Parameter source: names the result in the error, such as the path it was read from.
    /// - Throws: `EvaluationError.invalidEntry` naming `source` and the first offending key.
    private func validate(source: String) throws {
        for (name, key, value) in numbers {
            let rule = Self.rule(for: key)
            guard let value, let range = rule.range, !range.contains(value) else { continue }
            throw EvaluationError.invalidEntry(source: source, key: name, value: numberText(value),
                                               expected: rule.expected)
        }
    }

    /// Encodes the result as pretty-printed JSON with sorted snake_case keys (the `eval.json` format).
    ///
    /// - Throws: `EvaluationError.invalidEntry` when a number is out of its range (see `init(jsonData:source:)`).
    public func jsonData() throws -> Data {
        try validate(source: "the evaluation result")
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
    /// Every known key must hold its type and range: fractions (accuracies, NMI, style scores) in [0, 1], the
    /// ARI in [-1, 1], `knn_k`, `limit` and the members of `probe_steps` whole numbers ≥ 1, `epochs` and `step` whole numbers ≥ 0, seconds
    /// ≥ 0, `method`, `dataset` and settings strings. Unknown keys are ignored; `null` counts as absent.
    ///
    /// - Parameters:
    ///   - data: the JSON bytes.
    ///   - source: a name for the document used in error messages, such as its path.
    /// - Throws: `EvaluationError.malformedJSON` when the document is not a JSON object, and
    ///   `EvaluationError.invalidEntry` naming `source` and the key whose value has the wrong type or range.
    public init(jsonData data: Data, source: String = "eval.json") throws {
        do {
            self = try JSONDecoder().decode(EvaluationResult.self, from: data)
        } catch let entry as InvalidEntry {
            throw entry.error(in: source)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw EvaluationError.malformedJSON(source: source, reason: "it holds JSON but not an object")
        } catch {
            throw EvaluationError.malformedJSON(source: source, reason: "it is not valid JSON")
        }
        try validate(source: source)
    }

    /// Reads and validates the `eval.json` file at `url` (see `init(jsonData:source:)`).
    ///
    /// - Throws: `EvaluationError` naming the path (and the key) when the file is unreadable or malformed or
    ///   holds a value of the wrong type or range.
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
