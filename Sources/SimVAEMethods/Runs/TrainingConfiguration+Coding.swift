import Foundation
import SimVAEData

/// `config.json`: one object holding the options every run has (`ConfigurationField`) and the method's
/// hyperparameters, each under its key.
extension TrainingConfiguration: Codable {
    /// Reads a `config.json`; options it lacks (written by an older version) take today's defaults for its
    /// method and dataset, so older run folders stay readable. Keys it does not know (a typo in a hand edit, or
    /// another method's hyperparameter), unknown methods and unknown datasets are errors, not silently ignored;
    /// values are checked by `validate(_:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: OptionKey.self)
        let method = try container.decode(Method.self, forKey: OptionKey(ConfigurationField.method))
        let dataset = try container.decode(Dataset.self, forKey: OptionKey(ConfigurationField.dataset))
        self = .defaults(method: method, dataset: dataset)
        let legacy = try LegacyOptions(container)
        for key in container.allKeys where ConfigurationField(rawValue: key.stringValue) == nil {
            if let parameter = method.hyperparameter(named: key.stringValue) {
                func decoded<Value: HyperparameterValue>(_ type: Value.Type) throws -> Value {
                    try container.decode(Value.self, forKey: key)
                }
                options.set(try decoded(parameter.valueType), named: parameter.name)
            } else if !legacy.ignores(key) {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "is not an option of \(method.name) runs (a typo, or another method's?)"))
            }
        }
        try legacy.apply(to: &self)
        func read<T: Decodable>(_ field: ConfigurationField, into value: inout T) throws {
            if let decoded = try container.decodeIfPresent(T.self, forKey: OptionKey(field)) { value = decoded }
        }
        dataDirectory = try container.decodeIfPresent(String.self, forKey: OptionKey(.dataDirectory))
        limit = try container.decodeIfPresent(Int.self, forKey: OptionKey(.limit))
        folderSplit = try container.decodeIfPresent(String.self, forKey: OptionKey(.folderSplit))
        try read(.epochs, into: &epochs)
        try read(.batchSize, into: &batchSize)
        try read(.views, into: &views)
        try read(.latents, into: &latents)
        try read(.learningRate, into: &learningRate)
        try read(.adamEps, into: &adamEps)
        try read(.seed, into: &seed)
        try read(.architecture, into: &architecture)
        try read(.likelihood, into: &likelihood)
        try read(.augmentation, into: &augmentation)
        try read(.logEvery, into: &logEvery)
        try read(.optimizer, into: &optimizer)
        try read(.schedule, into: &schedule)
        try read(.warmupEpochs, into: &warmupEpochs)
        try read(.recipe, into: &recipe)
        // Runs older than the monitor did not measure one; resuming them keeps it that way.
        monitorEvery = .off
        try read(.monitorEvery, into: &monitorEvery)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: OptionKey.self)
        func write<T: Encodable>(_ value: T?, _ field: ConfigurationField) throws {
            try container.encodeIfPresent(value, forKey: OptionKey(field))
        }
        try write(method, .method)
        try write(dataset, .dataset)
        try write(dataDirectory, .dataDirectory)
        try write(epochs, .epochs)
        try write(batchSize, .batchSize)
        try write(views, .views)
        try write(latents, .latents)
        try write(learningRate, .learningRate)
        try write(adamEps, .adamEps)
        try write(seed, .seed)
        try write(limit, .limit)
        try write(architecture, .architecture)
        try write(likelihood, .likelihood)
        try write(augmentation, .augmentation)
        try write(logEvery, .logEvery)
        try write(optimizer, .optimizer)
        try write(folderSplit, .folderSplit)
        try write(schedule, .schedule)
        try write(warmupEpochs, .warmupEpochs)
        try write(recipe, .recipe)
        try write(monitorEvery, .monitorEvery)
        for parameter in method.hyperparameters {
            guard let value = options.value(named: parameter.name) else { continue }
            try container.encode(value, forKey: OptionKey(stringValue: parameter.name))
        }
    }
}

/// A key of `config.json`: an option every run has or a hyperparameter, by its Swift-style name (the run folder's
/// coders convert it to and from snake case).
struct OptionKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
    init(_ field: ConfigurationField) { stringValue = field.rawValue }
}
