import Foundation
import SimVAEData
import Torch

/// A training loss that stopped being a finite number.
public struct DivergenceError: Error, CustomStringConvertible, Sendable {
    /// What diverged at which epoch and step, what was kept on disk, and a hint to lower `--lr`.
    public let description: String
}

/// Runs the optimisation of any `Objective` over a `MultiViewLoader`, with logging, progress, exact resume
/// and NaN protection. With zero epochs (the random baseline) it only saves the model as initialised.
///
/// After every epoch it writes one atomic checkpoint (model, optimizer, random generator) and `trainer.json`;
/// a run killed mid-epoch resumes from the last completed epoch and, because batches are a pure function of
/// (seed, epoch, batch index) and the generator state is restored, repeats exactly the losses an uninterrupted
/// run would have produced.
///
/// The model, its optimizer state and the batches live on `compute.device`. On a GPU the step never waits for the
/// device: the losses stay there until a metric is logged or the epoch ends, when they are read back in one copy
/// and checked in order, so a non-finite loss still stops training before the next checkpoint and names its step.
/// On the CPU they are read and checked every step, before the update (`ComputeSettings.defersLossReads`).
public final class Trainer {
    /// The run's options: epochs, base learning rate, logging interval, ….
    public let configuration: TrainingConfiguration
    /// The run folder that receives the checkpoint, `trainer.json` and the metrics.
    public let run: RunDirectory
    /// The objective being trained, with its networks.
    public let model: any Objective
    /// The optimizer over the model's parameters; its learning rate is set from `schedule` before every step.
    public let optimizer: any Optimizer
    /// The batches of views of every epoch.
    public let loader: MultiViewLoader
    /// The learning rate at each step, as a function of the configured base rate.
    public let schedule: LearningRateSchedule
    /// The device and the precision of the forward passes.
    public let compute: ComputeSettings
    /// The loss scaling of float16 training (nil in other precisions).
    public let lossScaler: LossScaler?
    /// Measured as often as `configuration.monitorEvery` says, when set.
    public var monitor: (any TrainingMonitor)?
    /// The group this trainer is one rank of, when training across processes: the loader then serves this rank's
    /// share of each batch, and only rank 0 writes the checkpoint, `trainer.json` and the metrics.
    public var dataParallel: DataParallel?
    let progress: ProgressReporter

    /// A trainer for `model` in `run` that reports its steps to `progress`; nothing is trained until
    /// `train(from:metrics:)`. The model, the optimizer's parameters and the loader must be on `compute.device`.
    public init(configuration: TrainingConfiguration, run: RunDirectory, model: any Objective,
                optimizer: any Optimizer, loader: MultiViewLoader, schedule: LearningRateSchedule = .constant,
                compute: ComputeSettings = .cpu, progress: ProgressReporter = ProgressReporter()) {
        self.configuration = configuration
        self.run = run
        self.model = model
        self.optimizer = optimizer
        self.loader = loader
        self.schedule = schedule
        self.compute = compute
        self.lossScaler = compute.precision == .fp16 ? LossScaler() : nil
        self.progress = progress
    }

    /// Continues from `state` (nil: from scratch) until all epochs are done, logging to `metrics` (opened on the
    /// run's `metrics.jsonl` up to `state`'s step; nil on the ranks of a group that do not write the run); returns
    /// the final state.
    /// - Throws: `DivergenceError` when a loss is NaN or infinite (the last checkpoint is kept),
    ///   `TrainingInterrupted` after a stop request, or an I/O error.
    public func train(from state: TrainerState?, metrics: MetricsWriter?) throws -> TrainerState {
        var state = state ?? TrainerState(epoch: 0, step: 0, trainingSeconds: 0, finished: false)
        let perEpoch = loader.batchesPerEpoch
        let writesRun = dataParallel?.writesRun ?? true
        precondition(!writesRun || metrics != nil, "the rank that writes the run needs its metrics writer")
        let ranks = dataParallel?.group.worldSize ?? 1
        try dataParallel?.synchronize(model)
        model.train()
        if configuration.epochs == 0 && writesRun {
            // A baseline with nothing to learn (the random encoder) is saved as initialised.
            state.finished = true
            try Checkpoint.save(model: model, optimizer: optimizer, state: state, to: run.checkpoint)
            try run.write(state)
        }
        if state.epoch < configuration.epochs { state.startSegment(compute) }
        while state.epoch < configuration.epochs {
            let epoch = state.epoch + 1
            let watch = Stopwatch()
            var tally = EpochTally()
            var pending: [PendingStep] = []
            for (index, batch) in loader.batches(epoch: epoch).enumerated() {
                if let signal = try stopSignal() {
                    throw TrainingInterrupted(signal: signal, step: state.step, checkpointEpoch: state.epoch)
                }
                optimizer.learningRate = schedule.learningRate(at: state.step, base: configuration.learningRate)
                pending.append(try step(on: batch, epoch: epoch, index: index, state: state))
                state.step += 1
                let logs = state.step % configuration.logEvery == 0
                if !compute.defersLossReads || logs || index + 1 == loader.batchesPerEpoch {
                    try settle(pending, state: state, tally: &tally, watch: watch)
                    pending.removeAll()
                }
                if logs && writesRun {
                    var record: [String: Any] = tally.lastTerms
                    record["epoch"] = epoch
                    record["step"] = state.step
                    record["lr"] = optimizer.learningRate
                    record["images_per_s"] = Double(tally.windowImages) / tally.window.elapsed
                    try metrics?.log(record)
                    tally.window = Stopwatch()
                    tally.windowImages = 0
                }
                if let monitor, let metrics,
                   configuration.monitorEvery.isDue(afterStep: state.step, endsEpoch: index + 1 == perEpoch) {
                    try record(monitor, epoch: epoch, state: state, secondsIntoEpoch: watch.elapsed, metrics: metrics)
                }
            }
            let (sums, images) = (tally.sums, tally.images)
            let seconds = watch.elapsed
            state.epoch = epoch
            state.trainingSeconds += seconds
            state.finished = epoch == configuration.epochs
            var summary: [String: Any] = sums.mapValues { $0 / Double(Swift.max(perEpoch, 1)) }
            summary["epoch"] = epoch
            summary["step"] = state.step
            summary["epoch_seconds"] = seconds
            summary["images_per_s"] = Double(images) / seconds
            summary["lr"] = optimizer.learningRate
            if let peak = ResidentMemory.peak { summary["peak_rss_mib"] = Double(peak) / 1_048_576 }
            if let dataParallel {
                summary["ranks"] = ranks
                summary["communication_ms_per_step"] = dataParallel.takeCommunicationSeconds() * 1000
                    / Double(Swift.max(perEpoch, 1))
            }
            guard writesRun else { continue }
            try metrics?.log(summary)
            try Checkpoint.save(model: model, optimizer: optimizer, state: state, to: run.checkpoint)
            try run.write(state)
            progress.note(String(format: "epoch %d/%d done in %.1f s: loss %.4f, %.0f images/s", epoch,
                                 configuration.epochs, seconds, summary["loss"] as? Double ?? .nan,
                                 Double(images) / seconds) + progress.status)
        }
        if !state.finished && state.epoch >= configuration.epochs && writesRun {
            // Nothing was left to train (a run killed after its last checkpoint): record it as finished.
            state.finished = true
            try run.write(state)
        }
        model.eval()
        return state
    }

    /// One optimisation step under autocast in the chosen precision (the backward pass and the update outside
    /// it); returns its loss and terms, still on the device. On the CPU a non-finite loss is refused before the
    /// update.
    /// - Throws: `DivergenceError` for a loss that is not finite (on the CPU), or libtorch's failure (out of
    ///   memory, for one) as a `TorchError`.
    private func step(on batch: MultiViewBatch, epoch: Int, index: Int, state: TrainerState) throws -> PendingStep {
        try Tensor.checking {
            var pending: PendingStep?
            try TrainingStep.run(model, optimizer: optimizer, images: batch.images, views: batch.views,
                                 compute: compute, lossScaler: lossScaler, dataParallel: dataParallel) { output in
                let names = output.terms.keys.sorted()
                var values = Tensor.stack(([output.loss] + names.map { output.terms[$0]! })
                    .map { $0.detached().float })
                // The group's average: what one process would have logged, and the same verdict on every rank.
                if let dataParallel { values = try dataParallel.averaged(values) }
                let images = batch.images.size(0) * (dataParallel?.group.worldSize ?? 1)
                let step = PendingStep(epoch: epoch, index: index, step: state.step + 1,
                                       images: images, names: names, values: values)
                if !compute.defersLossReads {
                    try step.checkFinite(values.selected(dim: 0, index: 0).item, checkpointEpoch: state.epoch)
                }
                pending = step
            }
            return pending!
        }
    }

    /// The signal that asked training to stop, if any; across a group, every rank stops at the same step when any
    /// rank was asked.
    private func stopSignal() throws -> Int32? {
        let signal = StopRequest.pendingSignal
        guard let dataParallel else { return signal }
        return try dataParallel.anyRank(signal != nil) ? signal ?? SIGTERM : nil
    }

    /// Reads the values of `pending` steps back from the device in one copy, stops at the first non-finite loss,
    /// adds the terms to `tally` and reports each step's progress.
    private func settle(_ pending: [PendingStep], state: TrainerState, tally: inout EpochTally,
                        watch: Stopwatch) throws {
        guard !pending.isEmpty else { return }
        let values = try Tensor.checking { Tensor.cat(pending.map(\.values)).double.scalars(as: Double.self) }
        var offset = 0
        let totalSteps = loader.batchesPerEpoch * configuration.epochs
        for step in pending {
            let row = values[offset ..< offset + 1 + step.names.count]
            offset += row.count
            let loss = row.first!
            try step.checkFinite(loss, checkpointEpoch: state.epoch)
            var terms = Dictionary(uniqueKeysWithValues: zip(step.names, row.dropFirst()))
            terms["loss"] = loss
            tally.add(terms, images: step.images)
            let rate = Double(tally.images) / watch.elapsed
            progress.update(epoch: step.epoch, epochs: configuration.epochs, step: step.index + 1,
                            total: loader.batchesPerEpoch, loss: loss, imagesPerSecond: rate,
                            secondsLeft: Double((totalSteps - step.step) * step.images) / rate)
        }
    }
}

/// One step's loss and terms [1 + terms] as computed on the device, waiting to be read.
private struct PendingStep {
    let epoch: Int, index: Int, step: Int, images: Int
    /// The names of the terms after the loss, in the order of `values`.
    let names: [String]
    let values: Tensor

    /// Throws the `DivergenceError` of this step when `loss` is not finite.
    func checkFinite(_ loss: Double, checkpointEpoch: Int) throws {
        guard !loss.isFinite else { return }
        let kept = checkpointEpoch > 0 ? "the last good checkpoint (epoch \(checkpointEpoch)) is kept"
            : "no epoch had finished, so no checkpoint was written"
        throw DivergenceError(description: "the loss became \(loss) at epoch \(epoch), step "
            + "\(step); training stopped and \(kept). Try a lower --lr.")
    }
}

/// What an epoch has read back so far: the sums of its terms, its images, and the current logging window.
private struct EpochTally {
    var sums: [String: Double] = [:]
    var images = 0
    var windowImages = 0
    var window = Stopwatch()
    /// The terms of the last step read.
    var lastTerms: [String: Any] = [:]

    mutating func add(_ terms: [String: Double], images count: Int) {
        for (name, value) in terms { sums[name, default: 0] += value }
        images += count
        windowImages += count
        lastTerms = terms
    }
}
