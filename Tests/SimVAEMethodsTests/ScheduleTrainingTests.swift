import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// The logged per-step rows of a run (not the epoch summaries or the monitor's rows), by step.
private func stepRows(_ run: RunDirectory) throws -> [Int: [String: Any]] {
    let text = try String(contentsOf: run.metrics, encoding: .utf8)
    var rows: [Int: [String: Any]] = [:]
    for line in text.split(separator: "\n") {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              object["epoch_seconds"] == nil, object["loss"] != nil, let step = object["step"] as? Int
        else { continue }
        rows[step] = object
    }
    return rows
}

/// A monitor that asks training to stop (as Ctrl-C does) when it is measured after step `stopStep`.
private final class StopAfterStep: TrainingMonitor {
    let key = "monitor_test", label = "test"
    let stopStep: Int
    var measuredSteps = 0
    init(stopStep: Int) { self.stopStep = stopStep }
    func measure(_ model: any Objective) throws -> Double {
        measuredSteps += 1
        if measuredSteps == stopStep { StopRequest.request(signal: SIGTERM) }
        return 0.5
    }
}

private func cosineConfiguration(data: URL) -> TrainingConfiguration {
    var settings = configuration(data: data, epochs: 2)
    settings.learningRate = 1e-3
    settings.schedule = .cosine
    settings.warmupEpochs = 0.5
    settings.monitorEvery = .off
    return settings
}

@Test func warmupThenCosineGivesTheExpectedRatesAtGivenSteps() {
    var settings = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    settings.epochs = 4
    settings.learningRate = 1e-3
    settings.schedule = .cosine
    settings.warmupEpochs = 0.5
    // 10 steps an epoch: 5 warm-up steps, then a cosine over the remaining 35 of the 40.
    let schedule = settings.learningRateSchedule(stepsPerEpoch: 10)
    #expect(schedule == .cosine(totalSteps: 40, warmupSteps: 5))
    let rates = [0, 2, 4, 5, 40].map { schedule.learningRate(at: $0, base: 1e-3) }
    for (rate, expected) in zip(rates, [2e-4, 6e-4, 1e-3, 1e-3, 0]) { #expect(abs(rate - expected) < 1e-15) }
    // Halfway through the cosine (step 5 + 17.5) the rate is half the base.
    let halfway = (schedule.learningRate(at: 22, base: 1e-3) + schedule.learningRate(at: 23, base: 1e-3)) / 2
    #expect(abs(halfway - 5e-4) < 1e-5)
    settings.schedule = .constant
    #expect(settings.learningRateSchedule(stepsPerEpoch: 10) == .linearWarmup(warmupSteps: 5))
    settings.warmupEpochs = 0
    #expect(settings.learningRateSchedule(stepsPerEpoch: 10) == .constant)
}

@Test(.drawsFromTheRandomGenerator) func trainerUsesTheScheduleAtEveryStep() throws {
    let data = try tinyFashionMNIST()
    let run = runFolder()
    let settings = cosineConfiguration(data: data)
    try train(settings, in: run)
    let rows = try stepRows(run)
    #expect(rows.count == 12)
    let schedule = settings.learningRateSchedule(stepsPerEpoch: 6)
    for (step, row) in rows {
        let logged = try #require(row["lr"] as? Double)
        #expect(abs(logged - schedule.learningRate(at: step - 1, base: 1e-3)) < 1e-15, "step \(step)")
    }
    #expect((rows[1]?["lr"] as? Double).map { abs($0 - 1e-3 / 3) < 1e-15 } == true)
}

@Test(.drawsFromTheRandomGenerator) func resumingInTheMiddleOfAScheduleRepeatsTheUninterruptedRatesAndLosses() throws {
    let data = try tinyFashionMNIST()
    let whole = runFolder(), split = runFolder()
    try train(cosineConfiguration(data: data), in: whole)
    // The same run, stopped by a signal after step 8 (epoch 2 of 2, in the cosine), then resumed from epoch 1.
    var stopped = cosineConfiguration(data: data)
    stopped.monitorEvery = .everySteps(1)
    var session = TrainingSession(configuration: stopped, run: split, existing: .refuse,
                                  progress: ProgressReporter(plainEvery: .max))
    session.monitorFactory = { _ in StopAfterStep(stopStep: 8) }
    defer { StopRequest.request(signal: 0) }
    let interruption = #expect(throws: TrainingInterrupted.self) { try session.start() }
    #expect(interruption?.step == 8 && interruption?.checkpointEpoch == 1)
    StopRequest.request(signal: 0)
    var resumed = cosineConfiguration(data: data)
    resumed.monitorEvery = .everySteps(1)
    let state = try train(resumed, in: split, .resume)
    #expect(state.epoch == 2 && state.finished)
    let (expected, got) = (try stepRows(whole), try stepRows(split))
    #expect(expected.count == 12 && got.count == 12)
    for step in 1...12 {
        #expect(got[step]?["lr"] as? Double == expected[step]?["lr"] as? Double, "lr at step \(step)")
        #expect(got[step]?["loss"] as? Double == expected[step]?["loss"] as? Double, "loss at step \(step)")
    }
    try expectSameCheckpoints(whole, split)
}

@Test func scheduleAndRecipeAreStoredAndOldConfigurationsReadAsConstant() throws {
    var settings = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    TrainingRecipe.fast.apply(to: &settings, keeping: [.epochs])
    #expect(settings.recipe == .fast && settings.schedule == .cosine && settings.epochs == 12)
    #expect(settings.learningRate == TrainingRecipe.Fast.learningRate && settings.views == TrainingRecipe.Fast.views)
    #expect(settings[SimVAE.clusterVariance] == TrainingRecipe.Fast.clusterVariance)
    var vae = TrainingConfiguration.defaults(method: .vae, dataset: .fashionMNIST)
    TrainingRecipe.fast.apply(to: &vae, keeping: [])
    #expect(vae.options == TrainingConfiguration.defaults(method: .vae, dataset: .fashionMNIST).options)
    let data = try RunDirectory.encoder.encode(settings)
    #expect(try RunDirectory.decoder.decode(TrainingConfiguration.self, from: data) == settings)
    // A config.json written before schedules, recipes and the monitor.
    var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    for key in ["schedule", "warmup_epochs", "recipe", "monitor_every"] { object[key] = nil }
    let old = try RunDirectory.decoder.decode(TrainingConfiguration.self,
                                              from: JSONSerialization.data(withJSONObject: object))
    #expect(old.schedule == .constant && old.warmupEpochs == 0 && old.recipe == .authors && old.monitorEvery == .off)
}

@Test func theFastRecipeTrainsInBFloat16OnlyOnACPUWhereItIsFaster() {
    var measurements = 0
    func speedup(_ value: Double) -> () -> Double {
        { measurements += 1; return value }
    }
    #expect(TrainingRecipe.fast.precision(on: .cpu, bfloat16Speedup: speedup(2.5)) == .bf16)
    let threshold = TrainingRecipe.Fast.minimumBFloat16Speedup
    #expect(TrainingRecipe.fast.precision(on: .cpu, bfloat16Speedup: speedup(threshold)) == .bf16)
    #expect(TrainingRecipe.fast.precision(on: .cpu, bfloat16Speedup: speedup(1.2)) == nil)
    #expect(TrainingRecipe.fast.precision(on: .cuda(0), bfloat16Speedup: speedup(2.5)) == nil)
    #expect(TrainingRecipe.authors.precision(on: .cpu, bfloat16Speedup: speedup(2.5)) == nil)
    #expect(measurements == 3, "the speed is measured only where it decides")
}

@Test func recipesAreCheckedAgainstTheRun() throws {
    var simclr = TrainingConfiguration.defaults(method: .simclr, dataset: .fashionMNIST)
    TrainingRecipe.simclr.apply(to: &simclr, keeping: [])
    #expect(simclr.optimizer == .lars && simclr.schedule == .cosine && simclr.warmupEpochs == 1.2)
    #expect(simclr.learningRate == TrainingConfiguration.larsLearningRate(batchSize: simclr.batchSize))
    var wrong = TrainingConfiguration.defaults(method: .simclr, dataset: .fashionMNIST)
    wrong.recipe = .fast
    let error = #expect(throws: ConfigurationError.self) { try wrong.validate() }
    #expect(error?.description.hasPrefix("--recipe fast is tuned for the generative methods") == true)
    var warmup = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    warmup.warmupEpochs = 13
    #expect(throws: ConfigurationError.self) { try warmup.validate() }
}
