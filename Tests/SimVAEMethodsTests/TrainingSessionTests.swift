import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

func configuration(data: URL, epochs: Int) -> TrainingConfiguration {
    var configuration = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    configuration.dataDirectory = data.path
    configuration.epochs = epochs
    configuration.batchSize = 16
    configuration.views = 2
    configuration.logEvery = 1
    configuration.seed = 5
    return configuration
}

func losses(_ run: RunDirectory) throws -> [Double] {
    let text = try String(contentsOf: run.metrics, encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
        let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["epoch_seconds"] == nil ? object?["loss"] as? Double : nil
    }
}

/// Expects the two runs' checkpoints to hold the same model and optimizer tensors.
func expectSameCheckpoints(_ whole: RunDirectory, _ resumed: RunDirectory) throws {
    let a = try SafeTensors.read(whole.checkpoint), b = try SafeTensors.read(resumed.checkpoint)
    for (name, tensor) in a where !name.hasPrefix("trainer.") {
        #expect(b[name].map { ($0 - tensor).abs().max().item } == 0, "\(name) differs after resuming")
    }
}

func runFolder() -> RunDirectory {
    RunDirectory(path: FileManager.default.temporaryDirectory.appendingPathComponent("simvae-run-\(UUID().uuidString)").path)
}

/// Trains quietly and returns the final state.
@discardableResult
func train(_ configuration: TrainingConfiguration, in run: RunDirectory,
                   _ existing: TrainingSession.ExistingRun = .refuse) throws -> TrainerState {
    try TrainingSession(configuration: configuration, run: run, existing: existing,
                        progress: ProgressReporter(plainEvery: .max)).start()
}

@Test(.drawsFromTheRandomGenerator) func resumedRunRepeatsTheUninterruptedLosses() throws {
    let data = try tinyFashionMNIST()
    let whole = runFolder(), split = runFolder()
    try train(configuration(data: data, epochs: 2), in: whole)
    try train(configuration(data: data, epochs: 1), in: split)
    let resumed = try train(configuration(data: data, epochs: 2), in: split, .resume)
    #expect(resumed.epoch == 2 && resumed.finished)
    let expected = try losses(whole)
    #expect(expected.count == 12)
    #expect(try losses(split) == expected)
    try expectSameCheckpoints(whole, split)
}

@Test(.drawsFromTheRandomGenerator) func finishedRunIsNotOverwrittenWithoutForce() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    try train(configuration(data: data, epochs: 1), in: run)
    let error = #expect(throws: ConfigurationError.self) {
        try train(configuration(data: data, epochs: 1), in: run)
    }
    #expect(error?.description.contains("--force") == true)
    var changed = configuration(data: data, epochs: 1)
    changed.latents = 4
    let mismatch = #expect(throws: ConfigurationError.self) {
        try train(changed, in: run, .resume)
    }
    // The difference is named by its flag with both values, and nothing else is listed.
    #expect(mismatch?.description.contains("these differ: --zdim (run: 10, now: 4) (only") == true,
            "\(mismatch?.description ?? "")")
    let restarted = try train(changed, in: run, .overwrite)
    #expect(restarted.epoch == 1)
}

@Test(.drawsFromTheRandomGenerator) func divergingLossStopsAndKeepsTheLastCheckpoint() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    var settings = configuration(data: data, epochs: 1)
    try train(settings, in: run)
    let good = try SafeTensors.read(run.checkpoint)
    settings.epochs = 40
    settings.learningRate = 1e30
    #expect(throws: DivergenceError.self) {
        try train(settings, in: run, .resume)
    }
    let kept = try SafeTensors.read(run.checkpoint)
    #expect(try run.readTrainerState()?.epoch ?? 0 < 40)
    #expect(Set(kept.keys) == Set(good.keys))
}

@Test(.drawsFromTheRandomGenerator, arguments: [
    ("views", "--views"), ("zdim", "--zdim"), ("epochs", "--epochs"), ("limit", "--limit"),
])
func invalidOptionsAreExplained(option: String, flag: String) {
    var settings = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    switch option {
    case "views": settings.views = 1
    case "zdim": settings.latents = 0
    case "epochs": settings.epochs = 0
    default: settings.limit = 3
    }
    let error = #expect(throws: ConfigurationError.self) { try settings.validate() }
    #expect(error?.description.contains(flag) == true)
}

@Test(.drawsFromTheRandomGenerator) func missingDataIsExplained() throws {
    var settings = configuration(data: URL(fileURLWithPath: "/nonexistent-simvae-data"), epochs: 1)
    settings.dataDirectory = "/nonexistent-simvae-data"
    let error = #expect(throws: (any Error).self) {
        try train(settings, in: runFolder())
    }
    #expect("\(error!)".contains("train-images-idx3-ubyte"))
}

@Test(.drawsFromTheRandomGenerator) func olderConfigurationsFillMissingOptionsWithDefaults() throws {
    let run = runFolder()
    try run.create()
    try Data(#"{"method": "simvae", "dataset": "fashion-mnist", "epochs": 3, "views": 4}"#.utf8).write(to: run.configuration)
    let configuration = try run.readConfiguration()
    #expect(configuration.epochs == 3 && configuration.views == 4)
    #expect(configuration.latents == TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST).latents)
}

@Test(.drawsFromTheRandomGenerator) func theCheckpointsOwnRecordWinsOverAnOlderTrainerJSON() throws {
    let data = try tinyFashionMNIST()
    let torn = runFolder()
    try train(configuration(data: data, epochs: 2), in: torn)
    // A kill between the checkpoint and trainer.json leaves trainer.json one epoch behind.
    try torn.write(TrainerState(epoch: 1, step: 6, trainingSeconds: 0, finished: false))
    let longer = configuration(data: data, epochs: 3)
    let resumed = try train(longer, in: torn, .resume)
    #expect(resumed.epoch == 3 && resumed.step == 18)
}

@Test(.drawsFromTheRandomGenerator) func overwritingKeepsTheOldRunWhenTheDataIsMissing() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    try train(configuration(data: data, epochs: 1), in: run)
    var moved = configuration(data: data, epochs: 1)
    moved.dataDirectory = "/nonexistent-simvae-data"
    #expect(throws: (any Error).self) {
        try train(moved, in: run, .overwrite)
    }
    #expect(run.hasCheckpoint)
}
