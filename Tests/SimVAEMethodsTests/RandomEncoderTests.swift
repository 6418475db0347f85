import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

@Test(.drawsFromTheRandomGenerator) func randomEncoderRunsAreReproducibleFromTheSeed() throws {
    let data = try tinyFashionMNIST()
    let quiet = ProgressReporter(plainEvery: .max)
    func start(seed: UInt64) throws -> RunDirectory {
        let run = runFolder()
        var configuration = discriminativeConfiguration(.random, data: data, epochs: 0)
        configuration.seed = seed
        let state = try TrainingSession(configuration: configuration, run: run, existing: .refuse,
                                        progress: quiet).start()
        #expect(state == TrainerState(epoch: 0, step: 0, trainingSeconds: 0, finished: true))
        return run
    }
    let first = try SafeTensors.read(start(seed: 1).checkpoint)
    let again = try SafeTensors.read(start(seed: 1).checkpoint)
    let other = try SafeTensors.read(start(seed: 2).checkpoint)
    let name = "encoder.layers.0.weight"
    #expect(Set(first.keys) == Set(again.keys))
    for (key, tensor) in first where key.hasPrefix("encoder.") {
        #expect((tensor - again[key]!).abs().max().item == 0, "\(key) differs between equal seeds")
    }
    #expect((first[name]! - other[name]!).abs().max().item > 0)
}

@Test(.drawsFromTheRandomGenerator) func randomEncoderRunIsEvaluatedLikeAnyRun() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    let quiet = ProgressReporter(plainEvery: .max)
    let configuration = discriminativeConfiguration(.random, data: data, epochs: 0)
    try TrainingSession(configuration: configuration, run: run, existing: .refuse, progress: quiet).start()
    let saved = try SafeTensors.read(run.checkpoint)
    // Resuming a finished random run reuses it.
    let state = try TrainingSession(configuration: configuration, run: run, existing: .resume, progress: quiet).start()
    #expect(state.finished && state.epoch == 0)
    #expect((try SafeTensors.read(run.checkpoint))["encoder.layers.0.weight"].map {
        ($0 - saved["encoder.layers.0.weight"]!).abs().max().item } == 0)
    let trained = try TrainedModel(run: run)
    #expect(trained.model is RandomEncoder)
    let representations = try Representations.load(run: run, styleViews: 48)
    #expect(representations.trainFeatures.shape == [48, configuration.latents])
    #expect(representations.testFeatures.shape == [48, configuration.latents])
}

@Test(.drawsFromTheRandomGenerator) func randomEncoderLossLeavesTheWeightsAlone() {
    Runtime.seed(12)
    let model = RandomEncoder(encoder: MLP(widths: [4, 3]))
    let output = model.loss(images: Tensor.rand([2, 1, 2, 2]), views: 1)
    output.loss.backward()
    #expect(output.loss.item == 0 && output.terms.isEmpty)
    #expect(model.parameters().allSatisfy { ($0.grad?.abs().max().item ?? 0) == 0 })
}
