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
        if let (field, problem) = firstProblem() {
            throw ConfigurationError(source.sentence(key: field.key, flagName: field.flagName, problem))
        }
        for parameter in method.hyperparameters {
            if let value = options.value(named: parameter.name), let problem = parameter.problem(with: value) {
                throw ConfigurationError(source.sentence(key: parameter.key, flagName: parameter.flag, problem))
            }
        }
    }

    /// The first invalid option every run has, with what is wrong with it.
    private func firstProblem() -> (ConfigurationField, String)? {
        func positive(_ value: Double) -> Bool { value > 0 && value.isFinite }
        func nonNegative(_ value: Double) -> Bool { value >= 0 && value.isFinite }
        if seed > UInt64(Int64.max) { return (.seed, "must be between 0 and \(Int64.max), got \(seed)") }
        if method.family == .untrained {
            if epochs != 0 {
                return (.epochs, "must be 0 for \(method.name), an untrained encoder, got \(epochs)")
            }
        } else if !(1...Self.maximumEpochs).contains(epochs) {
            return (.epochs, "must be between 1 and \(Self.maximumEpochs), got \(epochs)")
        }
        if !(1...Self.maximumBatchSize).contains(batchSize) {
            return (.batchSize, "must be between 1 and \(Self.maximumBatchSize) images, got \(batchSize)")
        }
        if views < 1 { return (.views, "must be at least 1, got \(views)") }
        if views < method.minimumViews {
            return (.views, "must be at least \(method.minimumViews): \(method.name) learns from related views, "
                + "got \(views)")
        }
        if batchSize < views {
            return (.views, "(\(views)) is more than a batch of \(batchSize) images holds: a batch needs at least one "
                + "set of views")
        }
        if method.comparesSets && setsPerBatch < 2 {
            return (.batchSize, "(\(batchSize) images of \(views) views) must hold at least 2 sets for "
                + "\(method.name), which compares the sets of a batch; got \(setsPerBatch)")
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
        if logEvery < 1 { return (.logEvery, "must be at least 1, got \(logEvery)") }
        if !nonNegative(warmupEpochs) || warmupEpochs > Double(epochs) && epochs > 0 {
            return (.warmupEpochs, "must be a number between 0 and the run's \(epochs) epochs, got \(warmupEpochs)")
        }
        if case .everySteps(let steps) = monitorEvery, steps < 1 {
            return (.monitorEvery, "must be epoch, off or a number of steps ≥ 1, got \(steps)")
        }
        if let problem = recipe.problem(with: self) { return (.recipe, problem) }
        return nil
    }

    /// The options that differ from `other` apart from the number of epochs and the learning rate (the two a
    /// resumed run may change: lowering the rate is the usual remedy after a diverged run) and the monitor's
    /// interval (which does not change what is learnt), as
    /// "--zdim (run: 10, now: 12)" phrases.
    public func differences(from other: TrainingConfiguration) -> [String] {
        var mine = self, theirs = other
        (mine.epochs, theirs.epochs) = (0, 0)
        (mine.learningRate, theirs.learningRate) = (0, 0)
        (mine.monitorEvery, theirs.monitorEvery) = (.off, .off)
        guard mine != theirs, let a = mine.jsonValues(), let b = theirs.jsonValues() else { return [] }
        let names = ConfigurationField.allCases.map { ($0.key, $0.flagName) }
            + (method.hyperparameters + other.method.hyperparameters).map { ($0.key, $0.flag) }
        var seen = Set<String>()
        return names.compactMap { key, flagName in
            guard seen.insert(key).inserted else { return nil }
            let (now, run) = (a[key] ?? "none", b[key] ?? "none")
            return now == run ? nil : "\(flagName) (run: \(run), now: \(now))"
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
