import Foundation
import TestSupport
import Testing
import SimVAEData
import Torch
@testable import SimVAEMethods

/// A finished one-epoch run on tiny data, and that data.
private func finishedRun() throws -> (run: RunDirectory, data: URL) {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    try train(configuration(data: data, epochs: 1), in: run)
    return (run, data)
}

/// Sets one key of a JSON file to a value given as JSON text.
private func edit(_ url: URL, _ key: String, json value: String) throws {
    var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    object[key] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
}

/// The bytes of every file of a run, to check that a refused command changed nothing.
private func snapshot(_ run: RunDirectory) -> [String: Data] {
    var files: [String: Data] = [:]
    for url in [run.configuration, run.trainerState, run.metrics, run.checkpoint] {
        files[url.lastPathComponent] = FileManager.default.contents(atPath: url.path)
    }
    return files
}

/// Expects a refusal whose message contains every one of `phrases`, with the run's files unchanged.
private func expectRefusal(_ run: RunDirectory, _ phrases: [String], _ body: () throws -> Void,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let before = snapshot(run)
    let error = #expect(throws: (any Error).self, sourceLocation: sourceLocation) { try body() }
    let message = error.map { "\($0)" } ?? ""
    for phrase in phrases {
        #expect(message.contains(phrase), "\"\(message)\" does not mention \(phrase)", sourceLocation: sourceLocation)
    }
    let after = snapshot(run)
    let changed = before.keys.filter { before[$0] != after[$0] }.sorted()
    #expect(changed.isEmpty, "the refused command changed \(changed)", sourceLocation: sourceLocation)
}

@Test(.drawsFromTheRandomGenerator, arguments: [
    ("latents", "0", "\"latents\" must be between 1 and 4096, got 0"),
    ("latents", "-1", "\"latents\" must be between 1 and 4096, got -1"),
    ("latents", "1000000", "\"latents\" must be between 1 and 4096, got 1000000"),
    ("centre_prior", "\"flat\"", "\"centre_prior\""),
    ("projection_widths", "[64]", "\"projection_widths\" is not an option of simvae runs"),
    ("latents", "\"ten\"", "\"latents\" must be an integer"),
    ("dataset", "\"imagenet\"", "\"dataset\" is not a known dataset ('imagenet')"),
    ("latent", "12", "\"latent\" is not an option of simvae runs"),
    ("cluster_variance", "0", "\"cluster_variance\" must be a positive finite number"),
])
func badConfigurationValuesNameTheFileAndTheKey(key: String, value: String, message: String) throws {
    let (run, _) = try finishedRun()
    try edit(run.configuration, key, json: value)
    let error = #expect(throws: ConfigurationError.self) { try run.readConfiguration() }
    #expect(error?.description.hasPrefix(run.configuration.path) == true, "\(error?.description ?? "")")
    #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    expectRefusal(run, [run.configuration.path]) { _ = try TrainedModel(run: run) }
}

@Test(.drawsFromTheRandomGenerator) func aCheckpointRecordingAnImpossibleEpochIsRefused() throws {
    let (run, data) = try finishedRun()
    var tensors = try SafeTensors.readWithMetadata(run.checkpoint)
    let state = TrainerState(epoch: -1_000_000_000_000_000, step: 6, trainingSeconds: 0, finished: false)
    tensors.metadata["trainer_state"] = String(decoding: try RunDirectory.encoder.encode(state), as: UTF8.self)
    tensors.metadata["epoch"] = "\(state.epoch)"
    try SafeTensors.write(tensors.tensors, metadata: tensors.metadata, to: run.checkpoint)
    expectRefusal(run, [run.checkpoint.path, "must not be negative"]) {
        try train(configuration(data: data, epochs: 2), in: run, .resume)
    }
}

@Test(.drawsFromTheRandomGenerator) func aTrainerStateAheadOfTheCheckpointIsRefused() throws {
    let (run, data) = try finishedRun()
    try run.write(TrainerState(epoch: 99, step: 594, trainingSeconds: 1, finished: true))
    expectRefusal(run, ["trainer.json records epoch 99", "holds epoch 1"]) {
        try train(configuration(data: data, epochs: 1), in: run, .resume)
    }
}

@Test(.drawsFromTheRandomGenerator) func resumingATruncatedCheckpointIsRefusedNotReused() throws {
    let (run, data) = try finishedRun()
    let bytes = try Data(contentsOf: run.checkpoint)
    try bytes.prefix(bytes.count / 2).write(to: run.checkpoint)
    expectRefusal(run, [run.checkpoint.path]) { try train(configuration(data: data, epochs: 1), in: run, .resume) }
}

@Test(.drawsFromTheRandomGenerator) func resumingWithoutConfigurationOrCheckpointIsRefused() throws {
    let (run, data) = try finishedRun()
    try FileManager.default.removeItem(at: run.configuration)
    expectRefusal(run, ["no config.json"]) { try train(configuration(data: data, epochs: 2), in: run, .resume) }

    let (other, otherData) = try finishedRun()
    try FileManager.default.removeItem(at: other.checkpoint)
    expectRefusal(other, ["records 1 finished epochs", "is missing"]) {
        try train(configuration(data: otherData, epochs: 2), in: other, .resume)
    }
}

@Test(.drawsFromTheRandomGenerator) func resumingAFolderWithoutARunStartsOne() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    let state = try train(configuration(data: data, epochs: 1), in: run, .resume)
    #expect(state.epoch == 1 && run.hasCheckpoint)
}

@Test(.drawsFromTheRandomGenerator) func aSecondWriterIsRefusedWhileTheFirstHoldsTheFolder() throws {
    let (run, data) = try finishedRun()
    do {
        let lock = try RunLock(run)
        expectRefusal(run, [run.url.path, "in use by another simvae process (pid \(getpid()))"]) {
            try train(configuration(data: data, epochs: 1), in: run, .overwrite)
        }
        withExtendedLifetime(lock) {}
    }
    // Once released, the folder is usable again.
    #expect(try train(configuration(data: data, epochs: 2), in: run, .resume).epoch == 2)
}

@Test(.drawsFromTheRandomGenerator) func takingTheLockRemovesTemporaryFilesAKilledWriterLeft() throws {
    let (run, _) = try finishedRun()
    let stale = run.checkpoint.deletingLastPathComponent().appendingPathComponent(".last.safetensors.99.ABC.tmp")
    try Data(repeating: 7, count: 100).write(to: stale)
    _ = try RunLock(run)
    #expect(!FileManager.default.fileExists(atPath: stale.path))
    #expect(run.hasCheckpoint)
}

@Test(.drawsFromTheRandomGenerator) func aRefusedStartInANewFolderLeavesNoFolderBehind() throws {
    let run = runFolder()
    var settings = configuration(data: URL(fileURLWithPath: "/nonexistent-simvae-data"), epochs: 1)
    settings.dataDirectory = "/nonexistent-simvae-data"
    #expect(throws: (any Error).self) { try train(settings, in: run) }
    #expect(!FileManager.default.fileExists(atPath: run.url.path))
}

@Test(.drawsFromTheRandomGenerator) func aLossThatDivergesInTheFirstEpochSaysNoCheckpointExists() throws {
    let data = try tinyFashionMNIST()
    var settings = configuration(data: data, epochs: 1)
    settings.learningRate = 1e30
    let error = #expect(throws: DivergenceError.self) { try train(settings, in: runFolder()) }
    #expect(error?.description.contains("no epoch had finished, so no checkpoint was written") == true,
            "\(error?.description ?? "")")
}

@Test(.drawsFromTheRandomGenerator) func aStopRequestEndsTrainingAtAStepAndKeepsTheCheckpoint() throws {
    let (run, data) = try finishedRun()
    let before = try Data(contentsOf: run.checkpoint)
    StopRequest.request(signal: SIGTERM)
    defer { StopRequest.request(signal: 0) }
    let error = #expect(throws: TrainingInterrupted.self) {
        try train(configuration(data: data, epochs: 2), in: run, .resume)
    }
    #expect(error?.checkpointEpoch == 1 && error?.step == 6)
    #expect(error?.description.contains("the last checkpoint (epoch 1) is kept") == true)
    #expect(try Data(contentsOf: run.checkpoint) == before)
}

@Test(.drawsFromTheRandomGenerator) func reconstructionsOfFewerImagesThanARowAreOneShortRow() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-grid-\(UUID().uuidString)")
    let path = folder.appendingPathComponent("r.png").path
    let images = Tensor(zeros: [3, 1, 4, 4])
    try ImageExport.writeReconstructions(of: images, to: path) { $0 }
    #expect(FileManager.default.fileExists(atPath: path))
}

@Test(.drawsFromTheRandomGenerator) func differencesNameFlagsAndOnlyTheOptionsThatChanged() {
    let run = TrainingConfiguration.defaults(method: .vicreg, dataset: .fashionMNIST)
    var now = run
    now.views = 4
    now[VICReg.covarianceWeight] = 2
    now.epochs = 3
    #expect(now.differences(from: run) == ["--views (run: 2, now: 4)", "--covariance-weight (run: 1, now: 2)"])
    #expect(run.differences(from: run).isEmpty)
}

@Test(.drawsFromTheRandomGenerator) func resumingKeepsMetricsUpToTheCheckpointAndRefusesDamagedLines() throws {
    let (run, data) = try finishedRun()
    let good = try String(contentsOf: run.metrics, encoding: .utf8)
    // A line torn by a crash at the end is dropped; the run continues.
    try Data((good + "{\"step\": 7, \"lo").utf8).write(to: run.metrics)
    try train(configuration(data: data, epochs: 2), in: run, .resume)
    #expect(try String(contentsOf: run.metrics, encoding: .utf8).hasPrefix(good))
    // Garbage in the middle is refused, and nothing is rewritten.
    let (other, otherData) = try finishedRun()
    var lines = try String(contentsOf: other.metrics, encoding: .utf8).split(separator: "\n").map(String.init)
    lines[1] = "garbage"
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: other.metrics)
    expectRefusal(other, [other.metrics.path, "line 2 is not a metrics record"]) {
        try train(configuration(data: otherData, epochs: 2), in: other, .resume)
    }
}

@Test(.drawsFromTheRandomGenerator)
func anImageFolderRunRecordsItsSplitAndEvaluationChecksIt() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-folder-\(UUID().uuidString)")
    for (label, name) in ["circles", "squares"].enumerated() {
        for index in 0..<6 {
            let pixels = (0..<(8 * 8 * 3)).map { UInt8(truncatingIfNeeded: $0 * (label + 1) + index * 7) }
            try PNG.write(Bitmap(pixels: pixels, width: 8, height: 8, channels: 3),
                          to: root.appendingPathComponent("\(name)/\(index).png").path)
        }
    }
    var settings = TrainingConfiguration.defaults(method: .vae, dataset: .folder)
    (settings.dataDirectory, settings.epochs, settings.batchSize) = (root.path, 1, 4)
    let run = runFolder()
    try train(settings, in: run)
    #expect(try run.readConfiguration().folderSplit == "held-out-20%")
    _ = try TrainedModel(run: run)
    // The folder is reorganised into train/ and test/: its test images are no longer the ones held out.
    try FileManager.default.createDirectory(at: root.appendingPathComponent("train/circles"),
                                            withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("test/circles"),
                                            withIntermediateDirectories: true)
    expectRefusal(run, ["records the image folder split \"held-out-20%\"", "\"train-test-folders\""]) {
        _ = try TrainedModel(run: run)
    }
}

@Test(arguments: [
    ("zdim", "--zdim must be between 1 and 4096, got 1000000"),
    ("cluster-variance", "--cluster-variance must be a positive finite number, got inf"),
    ("vicreg-batch", "--batch-size (2 images of 2 views) must hold at least 2 sets for vicreg"),
    ("projection", "--projection must list 1 to 8 widths"),
])
func impossibleFlagsAreRefusedByName(case name: String, message: String) {
    var settings = TrainingConfiguration.defaults(method: ["vicreg-batch", "projection"].contains(name) ? .vicreg
                                                      : .simvae, dataset: .fashionMNIST)
    switch name {
    case "zdim": settings.latents = 1_000_000
    case "cluster-variance": settings[SimVAE.clusterVariance] = .infinity
    case "vicreg-batch": settings.batchSize = 2
    default: settings[VICReg.projectionWidths] = [512, 0]
    }
    let error = #expect(throws: ConfigurationError.self) { try settings.validate() }
    #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "")")
}

@Test(.drawsFromTheRandomGenerator)
func aTrainerStateThatDisagreesWithinAnEpochOrIsAFolderIsRefused() throws {
    let (run, data) = try finishedRun()
    try run.write(TrainerState(epoch: 1, step: 5, trainingSeconds: 1, finished: true))
    expectRefusal(run, ["trainer.json records epoch 1 (step 5)", "holds epoch 1 (step 6)"]) {
        try train(configuration(data: data, epochs: 2), in: run, .resume)
    }
    try FileManager.default.removeItem(at: run.trainerState)
    try FileManager.default.createDirectory(at: run.trainerState, withIntermediateDirectories: false)
    expectRefusal(run, ["trainer.json is a folder, not a file"]) {
        try train(configuration(data: data, epochs: 2), in: run, .resume)
    }
    // One epoch behind, as a kill between the checkpoint and trainer.json leaves it, is a state to continue.
    #expect(TrainerState(epoch: 0, step: 0, trainingSeconds: 0, finished: false)
        .mayTrail(TrainerState(epoch: 1, step: 6, trainingSeconds: 1, finished: true)))
}

@Test func tooManyViewsAndSeedsBeyondSixtyThreeBitsAreNamed() {
    var settings = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    settings.views = 1_000_000
    let views = #expect(throws: ConfigurationError.self) { try settings.validate() }
    #expect(views?.description.hasPrefix("--views (1000000) is more than a batch of 128 images holds") == true,
            "\(views?.description ?? "")")
    settings.views = 2
    settings.seed = .max
    let seed = #expect(throws: ConfigurationError.self) { try settings.validate() }
    #expect(seed?.description.hasPrefix("--seed must be between 0 and") == true, "\(seed?.description ?? "")")
}

@Test(.drawsFromTheRandomGenerator)
func aRunKilledAfterItsLastCheckpointIsCompletedByResume() throws {
    let (run, data) = try finishedRun()
    let finished = try #require(try run.readTrainerState())
    // Killed between the last checkpoint and trainer.json, before the pictures.
    try run.write(TrainerState(epoch: 0, step: 0, trainingSeconds: 0, finished: false))
    for picture in run.pictures { try FileManager.default.removeItem(at: picture) }
    let state = try train(configuration(data: data, epochs: 1), in: run, .resume)
    #expect(state.epoch == finished.epoch && state.step == finished.step && state.finished)
    #expect(try run.readTrainerState().map { ($0.epoch, $0.step, $0.finished) } ?? (0, 0, false) == (1, 6, true))
    #expect(run.hasPictures)
}
