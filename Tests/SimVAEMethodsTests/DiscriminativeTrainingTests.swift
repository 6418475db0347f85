import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// A small configuration of `method` on the tiny dataset in `data`: 8 sets of 2 views per step, small heads.
func discriminativeConfiguration(_ method: Method, data: URL, epochs: Int) -> TrainingConfiguration {
    var configuration = TrainingConfiguration.defaults(method: method, dataset: .fashionMNIST)
    configuration.dataDirectory = data.path
    configuration.epochs = epochs
    configuration.batchSize = 16
    configuration.logEvery = 1
    configuration.seed = 11
    if method == .moco {
        configuration[MoCo.projectionWidths] = [32, 16]
        configuration[MoCo.queueSize] = 12
    } else if let widths = method.hyperparameters.first(where: { $0.flag == "--projection" }) {
        try! configuration.options.set(parsing: "32,16", for: widths)
    }
    return configuration
}

/// Every logged value of `term` (summaries included).
private func logged(_ term: String, in run: RunDirectory) throws -> [Double] {
    try String(contentsOf: run.metrics, encoding: .utf8).split(separator: "\n").compactMap { line in
        (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?[term] as? Double
    }
}

@Test(.drawsFromTheRandomGenerator, arguments: [
    (Method.simclr, ["nce"]), (.moco, ["nce"]), (.vicreg, ["invariance", "variance", "covariance"]),
    (.byol, ["prediction"]), (.barlowTwins, ["invariance", "redundancy"]),
])
func discriminativeRunsLogFiniteTermsAndResumeExactly(method: Method, terms: [String]) throws {
    let data = try tinyFashionMNIST()
    let quiet = ProgressReporter(plainEvery: .max)
    let whole = runFolder(), split = runFolder()
    #expect(TrainingConfiguration.defaults(method: method, dataset: .fashionMNIST).views == 2)
    try TrainingSession(configuration: discriminativeConfiguration(method, data: data, epochs: 2), run: whole,
                        existing: .refuse, progress: quiet).start()
    for term in terms + ["loss"] {
        let values = try logged(term, in: whole)
        #expect(values.count == 14 && values.allSatisfy(\.isFinite), "\(term): \(values)")  // 2 × (6 steps + summary)
    }
    try TrainingSession(configuration: discriminativeConfiguration(method, data: data, epochs: 1), run: split,
                        existing: .refuse, progress: quiet).start()
    try TrainingSession(configuration: discriminativeConfiguration(method, data: data, epochs: 2), run: split,
                        existing: .resume, progress: quiet).start()
    #expect(try losses(split) == losses(whole))
    try expectSameCheckpoints(whole, split)
}

@Test(.drawsFromTheRandomGenerator) func simCLRTrainsWithLARS() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    var configuration = discriminativeConfiguration(.simclr, data: data, epochs: 1)
    configuration.optimizer = .lars
    configuration.learningRate = TrainingConfiguration.larsLearningRate(batchSize: configuration.batchSize)
    try TrainingSession(configuration: configuration, run: run, existing: .refuse,
                        progress: ProgressReporter(plainEvery: .max)).start()
    #expect(try logged("loss", in: run).allSatisfy(\.isFinite))
    let saved = try SafeTensors.read(run.checkpoint)
    #expect(saved.keys.contains { $0.hasSuffix("momentum_buffer") && $0.hasPrefix("optimizer.") })
    #expect(try run.readConfiguration().optimizer == .lars)
}

@Test(.drawsFromTheRandomGenerator) func frozenDecoderReconstructsADiscriminativeRun() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    let quiet = ProgressReporter(plainEvery: .max)
    try TrainingSession(configuration: discriminativeConfiguration(.vicreg, data: data, epochs: 1), run: run,
                        existing: .refuse, progress: quiet).start()
    let trained = try TrainedModel(run: run)
    let images = Tensor.rand([8, 1, 28, 28])
    let missing = #expect(throws: ConfigurationError.self) { try trained.reconstruct(images) }
    #expect(missing?.description.contains("train-decoder") == true)
    #expect(throws: ConfigurationError.self) { try trained.sample(count: 4) }
    let losses = try FrozenDecoderTraining(run: run, epochs: 2, batchSize: 16, progress: quiet).start()
    #expect(losses.count == 2 && losses.allSatisfy(\.isFinite))
    #expect(FileManager.default.fileExists(atPath: run.images.appendingPathComponent("reconstructions.png").path))
    let reconstructions = try trained.reconstruct(images)
    #expect(reconstructions.shape == images.shape)
    #expect(reconstructions.min().item >= 0 && reconstructions.max().item <= 1)
    // The encoder stays frozen: the run's checkpoint is unchanged by training the decoder.
    #expect(try TrainedModel(run: run).step == trained.step)
}

@Test(.drawsFromTheRandomGenerator) func frozenDecoderRefusesGenerativeRuns() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    var configuration = discriminativeConfiguration(.vae, data: data, epochs: 1)
    configuration.views = 1
    try TrainingSession(configuration: configuration, run: run, existing: .refuse,
                        progress: ProgressReporter(plainEvery: .max)).start()
    let error = #expect(throws: ConfigurationError.self) {
        try FrozenDecoderTraining(run: run, epochs: 1, progress: ProgressReporter(plainEvery: .max)).start()
    }
    #expect(error?.description.contains("own decoder") == true)
    #expect(try TrainedModel(run: run).sample(count: 3).shape == [3, 1, 28, 28])
}

@Test(.drawsFromTheRandomGenerator, arguments: [
    ("temperature", "--temperature"), ("projection", "--projection"), ("momentum", "--moco-momentum"),
    ("queue", "--queue-size"), ("weights", "--variance-weight"), ("random", "--epochs"),
])
func invalidDiscriminativeOptionsAreExplained(option: String, flag: String) {
    let method: Method = option == "random" ? .random : option == "weights" ? .vicreg : .moco
    var settings = TrainingConfiguration.defaults(method: method, dataset: .mnist)
    switch option {
    case "temperature": settings[MoCo.temperature] = 0
    case "projection": settings[MoCo.projectionWidths] = [512, 0]
    case "momentum": settings[MoCo.momentum] = 1
    case "queue": settings[MoCo.queueSize] = 0
    case "weights": settings[VICReg.varianceWeight] = -1
    default: settings.epochs = 3
    }
    let error = #expect(throws: ConfigurationError.self) { try settings.validate() }
    #expect(error?.description.contains(flag) == true)
}
