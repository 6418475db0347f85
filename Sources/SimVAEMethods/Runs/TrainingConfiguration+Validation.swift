import Foundation
import SimVAEData

extension TrainingConfiguration {
    /// The largest latent size accepted (the paper uses 10 and 64); larger ones only exhaust memory.
    public static let maximumLatents = 4_096
    /// The largest batch accepted, in images per step.
    public static let maximumBatchSize = 65_536
    /// The largest width of a projection-head layer, and the most layers a head may have.
    public static let maximumProjectionWidth = 65_536, maximumProjectionLayers = 8
    /// The most keys MoCo's queue may hold.
    public static let maximumQueueSize = 1 << 20
    /// The most epochs a run may ask for.
    public static let maximumEpochs = 100_000

    /// Checks every option and their combinations; the error names the flags (`source` `.flags`) or the file and
    /// its keys (`.file`), states the allowed values and quotes the value found.
    public func validate(_ source: ConfigurationSource = .flags) throws {
        if let (field, problem) = firstProblem() { throw ConfigurationError(source.sentence(field, problem)) }
    }

    /// The first invalid option, with what is wrong with it.
    private func firstProblem() -> (ConfigurationField, String)? {
        func positive(_ value: Double) -> Bool { value > 0 && value.isFinite }
        func nonNegative(_ value: Double) -> Bool { value >= 0 && value.isFinite }
        if seed > UInt64(Int64.max) { return (.seed, "must be between 0 and \(Int64.max), got \(seed)") }
        if Dataset(rawValue: dataset) == nil {
            return (.dataset, "must be one of \(Dataset.allCases.map(\.rawValue).joined(separator: ", ")), got '\(dataset)'")
        }
        if method == .random {
            if epochs != 0 {
                return (.epochs, "must be 0 for random, an untrained encoder, got \(epochs)")
            }
        } else if !(1...Self.maximumEpochs).contains(epochs) {
            return (.epochs, "must be between 1 and \(Self.maximumEpochs), got \(epochs)")
        }
        if !(1...Self.maximumBatchSize).contains(batchSize) {
            return (.batchSize, "must be between 1 and \(Self.maximumBatchSize) images, got \(batchSize)")
        }
        if views < 1 { return (.views, "must be at least 1, got \(views)") }
        if method.needsSeveralViews && views < 2 {
            return (.views, "must be at least 2: \(method.rawValue) learns from related views, got \(views)")
        }
        if batchSize < views {
            return (.views, "(\(views)) is more than a batch of \(batchSize) images holds: a batch needs at least one "
                + "set of views")
        }
        if method.needsSeveralSets && setsPerBatch < 2 {
            return (.batchSize, "(\(batchSize) images of \(views) views) must hold at least 2 sets for "
                + "\(method.rawValue), which compares the sets of a batch; got \(setsPerBatch)")
        }
        if !(1...Self.maximumLatents).contains(latents) {
            return (.latents, "must be between 1 and \(Self.maximumLatents), got \(latents)")
        }
        if !positive(learningRate) { return (.learningRate, "must be a positive number, got \(learningRate)") }
        if !nonNegative(adamEps) { return (.adamEps, "must be a finite number ≥ 0, got \(adamEps)") }
        if let limit, limit < setsPerBatch {
            return (.limit, "(\(limit) images) leaves fewer samples than one batch of \(setsPerBatch) sets")
        }
        if case .gaussian(let logVariance) = likelihood, !(-20...20).contains(logVariance) {
            return (.likelihood, "needs a log-variance between -20 and 20, got \(logVariance)")
        }
        if !positive(clusterVariance) {
            return (.clusterVariance, "must be a positive finite number, got \(clusterVariance)")
        }
        if !nonNegative(beta) { return (.beta, "must be a finite number ≥ 0, got \(beta)") }
        if !nonNegative(consistencyWeight) {
            return (.consistencyWeight, "must be a finite number ≥ 0, got \(consistencyWeight)")
        }
        if logEvery < 1 { return (.logEvery, "must be at least 1, got \(logEvery)") }
        if !positive(temperature) { return (.temperature, "must be a positive finite number, got \(temperature)") }
        if projectionWidths.isEmpty || projectionWidths.count > Self.maximumProjectionLayers
            || !projectionWidths.allSatisfy({ (1...Self.maximumProjectionWidth).contains($0) }) {
            return (.projectionWidths, "must list 1 to \(Self.maximumProjectionLayers) widths between 1 and "
                + "\(Self.maximumProjectionWidth), such as 512,128; got \(projectionWidths)")
        }
        if !(mocoMomentum >= 0 && mocoMomentum < 1) {
            return (.mocoMomentum, "must be in [0, 1), got \(mocoMomentum)")
        }
        if !(1...Self.maximumQueueSize).contains(queueSize) {
            return (.queueSize, "must be between 1 and \(Self.maximumQueueSize), got \(queueSize)")
        }
        let weights = [vicregWeights.invariance, vicregWeights.variance, vicregWeights.covariance]
        if !weights.allSatisfy(nonNegative) {
            return (.vicregWeights, "must be finite numbers ≥ 0, got \(weights)")
        }
        return nil
    }

    /// The options that differ from `other` apart from the number of epochs and the learning rate (the two a
    /// resumed run may change: lowering the rate is the usual remedy after a diverged run), as
    /// "--zdim (run: 10, now: 12)" phrases.
    public func differences(from other: TrainingConfiguration) -> [String] {
        var mine = self, theirs = other
        (mine.epochs, theirs.epochs) = (0, 0)
        (mine.learningRate, theirs.learningRate) = (0, 0)
        guard mine != theirs, let a = mine.jsonValues(), let b = theirs.jsonValues() else { return [] }
        return ConfigurationField.allCases.compactMap { field in
            let (now, run) = (a[field.key] ?? "none", b[field.key] ?? "none")
            return now == run ? nil : "\(field.flagName) (run: \(run), now: \(now))"
        }
    }

    /// Each option's value as canonical JSON text (sorted keys), by `config.json` key.
    private func jsonValues() -> [String: String]? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(self),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object.compactMapValues { value in
            guard let text = try? JSONSerialization.data(withJSONObject: value,
                                                         options: [.sortedKeys, .fragmentsAllowed])
            else { return nil }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
