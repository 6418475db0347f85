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
    /// Measured as often as `configuration.monitorEvery` says, when set.
    public var monitor: (any TrainingMonitor)?
    let progress: ProgressReporter

    /// A trainer for `model` in `run` that reports its steps to `progress`; nothing is trained until
    /// `train(from:metrics:)`.
    public init(configuration: TrainingConfiguration, run: RunDirectory, model: any Objective,
                optimizer: any Optimizer, loader: MultiViewLoader, schedule: LearningRateSchedule = .constant,
                progress: ProgressReporter = ProgressReporter()) {
        self.configuration = configuration
        self.run = run
        self.model = model
        self.optimizer = optimizer
        self.loader = loader
        self.schedule = schedule
        self.progress = progress
    }

    /// Continues from `state` (nil: from scratch) until all epochs are done, logging to `metrics` (opened on the
    /// run's `metrics.jsonl` up to `state`'s step); returns the final state.
    /// - Throws: `DivergenceError` when a loss is NaN or infinite (the last checkpoint is kept),
    ///   `TrainingInterrupted` after a stop request, or an I/O error.
    public func train(from state: TrainerState?, metrics: MetricsWriter) throws -> TrainerState {
        var state = state ?? TrainerState(epoch: 0, step: 0, trainingSeconds: 0, finished: false)
        let perEpoch = loader.batchesPerEpoch
        let totalSteps = perEpoch * configuration.epochs
        model.train()
        if configuration.epochs == 0 {
            // A baseline with nothing to learn (the random encoder) is saved as initialised.
            state.finished = true
            try Checkpoint.save(model: model, optimizer: optimizer, state: state, to: run.checkpoint)
            try run.write(state)
        }
        while state.epoch < configuration.epochs {
            let epoch = state.epoch + 1
            let watch = Stopwatch()
            var sums: [String: Double] = [:]
            var images = 0
            var windowImages = 0
            var window = Stopwatch()
            for (index, batch) in loader.batches(epoch: epoch).enumerated() {
                if let signal = StopRequest.pendingSignal {
                    throw TrainingInterrupted(signal: signal, step: state.step, checkpointEpoch: state.epoch)
                }
                optimizer.learningRate = schedule.learningRate(at: state.step, base: configuration.learningRate)
                let (loss, terms) = try step(on: batch, epoch: epoch, state: state)
                state.step += 1
                let count = batch.images.size(0)
                images += count
                windowImages += count
                for (name, value) in terms { sums[name, default: 0] += value }
                if state.step % configuration.logEvery == 0 {
                    var record: [String: Any] = terms
                    record["epoch"] = epoch
                    record["step"] = state.step
                    record["lr"] = optimizer.learningRate
                    record["images_per_s"] = Double(windowImages) / window.elapsed
                    try metrics.log(record)
                    window = Stopwatch()
                    windowImages = 0
                }
                if let monitor,
                   configuration.monitorEvery.isDue(afterStep: state.step, endsEpoch: index + 1 == perEpoch) {
                    try record(monitor, epoch: epoch, state: state, secondsIntoEpoch: watch.elapsed, metrics: metrics)
                }
                let rate = Double(images) / watch.elapsed
                let stepsLeft = totalSteps - state.step
                progress.update(epoch: epoch, epochs: configuration.epochs, step: index + 1, total: perEpoch,
                                loss: loss, imagesPerSecond: rate,
                                secondsLeft: Double(stepsLeft * count) / rate)
            }
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
            try metrics.log(summary)
            try Checkpoint.save(model: model, optimizer: optimizer, state: state, to: run.checkpoint)
            try run.write(state)
            progress.note(String(format: "epoch %d/%d done in %.1f s: loss %.4f, %.0f images/s", epoch,
                                 configuration.epochs, seconds, summary["loss"] as? Double ?? .nan,
                                 Double(images) / seconds) + progress.status)
        }
        if !state.finished && state.epoch >= configuration.epochs {
            // Nothing was left to train (a run killed after its last checkpoint): record it as finished.
            state.finished = true
            try run.write(state)
        }
        model.eval()
        return state
    }

    /// One optimisation step; returns the loss and its named terms (with `loss` among them).
    /// - Throws: `DivergenceError` for a loss that is not finite (before any update), or libtorch's failure
    ///   (out of memory, for one) as a `TorchError`.
    private func step(on batch: MultiViewBatch, epoch: Int, state: TrainerState) throws
        -> (loss: Double, terms: [String: Double])
    {
        try Tensor.checking {
            optimizer.zeroGrad()
            let output = model.loss(images: batch.images, views: batch.views)
            let loss = output.loss.item
            guard loss.isFinite else {
                let kept = state.epoch > 0 ? "the last good checkpoint (epoch \(state.epoch)) is kept"
                    : "no epoch had finished, so no checkpoint was written"
                throw DivergenceError(description: "the loss became \(loss) at epoch \(epoch), step "
                    + "\(state.step + 1); training stopped and \(kept). Try a lower --lr.")
            }
            output.loss.backward()
            optimizer.step()
            var terms = output.terms.mapValues(\.item)
            terms["loss"] = loss
            return (loss, terms)
        }
    }
}
