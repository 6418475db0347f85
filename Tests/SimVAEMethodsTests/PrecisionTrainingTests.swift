import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// Trains quietly with `compute` and returns the final state.
@discardableResult
private func train(_ configuration: TrainingConfiguration, in run: RunDirectory, compute: ComputeSettings,
                   _ existing: TrainingSession.ExistingRun = .refuse) throws -> TrainerState {
    try TrainingSession(configuration: configuration, run: run, existing: existing, compute: compute,
                        progress: ProgressReporter(plainEvery: .max)).start()
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct PrecisionTrainingTests {
    @Test func bFloat16TrainingStaysCloseToFloat32AndKeepsFloat32Parameters() throws {
        let data = try tinyFashionMNIST()
        let full = runFolder(), reduced = runFolder()
        try train(configuration(data: data, epochs: 1), in: full, compute: .cpu)
        let state = try train(configuration(data: data, epochs: 1), in: reduced,
                              compute: ComputeSettings(device: .cpu, precision: .bf16))
        let (expected, found) = (try losses(full), try losses(reduced))
        #expect(found.count == expected.count && !found.isEmpty)
        for (a, b) in zip(found, expected) {
            #expect(abs(a - b) <= 0.02 * abs(b), "bf16 loss \(a) against fp32 \(b)")
        }
        #expect(found != expected, "bf16 autocast changed nothing: it was not on")
        for (name, tensor) in try SafeTensors.read(reduced.checkpoint) where !name.hasPrefix("trainer.") {
            #expect(tensor.dtype == .float32, "\(name) is \(tensor.dtype)")
        }
        let segment = TrainingSegment(firstEpoch: 1, device: "cpu", precision: .bf16)
        #expect(state.segments == [segment])
        #expect(try reduced.readTrainerState()?.segments == [segment])
    }

    @Test func aRunResumedInAnotherPrecisionRecordsBothSegments() throws {
        let data = try tinyFashionMNIST()
        let run = runFolder()
        try train(configuration(data: data, epochs: 1), in: run, compute: ComputeSettings(device: .cpu, precision: .bf16))
        let resumed = try train(configuration(data: data, epochs: 3), in: run, compute: .cpu, .resume)
        #expect(resumed.epoch == 3)
        #expect(resumed.segments == [TrainingSegment(firstEpoch: 1, device: "cpu", precision: .bf16),
                                     TrainingSegment(firstEpoch: 2, device: "cpu", precision: .fp32)])
    }

    @Test func lossesReadBackAtLogPointsMatchLossesReadEveryStep() throws {
        let data = try tinyFashionMNIST()
        let everyStep = runFolder(), deferred = runFolder()
        var settings = configuration(data: data, epochs: 2)
        settings.logEvery = 2
        try train(settings, in: everyStep, compute: .cpu)
        var compute = ComputeSettings.cpu
        compute.defersLossReads = true
        try train(settings, in: deferred, compute: compute)
        let metrics = { (run: RunDirectory) in try String(contentsOf: run.metrics, encoding: .utf8) }
        let strip = { (text: String) in
            text.split(separator: "\n").map { line in
                line.split(separator: ",").filter { !$0.contains("seconds") && !$0.contains("per_s")
                    && !$0.contains("rss") }.joined(separator: ",")
            }
        }
        #expect(strip(try metrics(deferred)) == strip(try metrics(everyStep)))
        try expectSameCheckpoints(everyStep, deferred)
    }

    @Test func aDeferredNonFiniteLossStillStopsTrainingAndKeepsTheCheckpoint() throws {
        let data = try tinyFashionMNIST()
        let run = runFolder()
        var settings = configuration(data: data, epochs: 1)
        var compute = ComputeSettings.cpu
        compute.defersLossReads = true
        try train(settings, in: run, compute: compute)
        let good = try SafeTensors.read(run.checkpoint)
        settings.epochs = 40
        settings.learningRate = 1e30
        let error = #expect(throws: DivergenceError.self) { try train(settings, in: run, compute: compute, .resume) }
        #expect(error?.description.contains("the last good checkpoint (epoch") == true, "\(error.map { "\($0)" } ?? "")")
        let kept = try SafeTensors.read(run.checkpoint)
        #expect(Set(kept.keys) == Set(good.keys))
        #expect(try Checkpoint.recordedState(of: run.checkpoint).epoch < 40)
    }

    @Test func channelsLastTrainingGivesTheSameLosses() throws {
        let data = try tinyFashionMNIST()
        let contiguous = runFolder(), channelsLast = runFolder()
        try train(configuration(data: data, epochs: 1), in: contiguous, compute: .cpu)
        var compute = ComputeSettings.cpu
        compute.channelsLast = true
        try train(configuration(data: data, epochs: 1), in: channelsLast, compute: compute)
        let (expected, found) = (try losses(contiguous), try losses(channelsLast))
        #expect(found.count == expected.count && !found.isEmpty)
        for (a, b) in zip(found, expected) { #expect(abs(a - b) <= 1e-5 * abs(b), "\(a) against \(b)") }
    }

    @Test func theDeviceCheckPassesOnTheCPU() throws {
        let outcomes = try DeviceCheck(compute: .cpu, methods: [.simvae, .simclr]).run()
        #expect(outcomes.map(\.name) == ["moves", "parity/simvae", "bf16/simvae", "parity/simclr", "bf16/simclr"])
        for outcome in outcomes { #expect(outcome.passed, "\(outcome.name): \(outcome.figures) \(outcome.detail)") }
        // The CPU against itself is exact; bf16 must differ from fp32, or autocast was not on.
        #expect(outcomes[1].figures["gradients"] == 0 && outcomes[1].figures["loss"] == 0)
        #expect((outcomes[2].figures["gradients"] ?? 0) > 0)
    }
}
