import Foundation
import Torch

extension Trainer {
    /// Measures `monitor` now, logs the value with the time it was taken and shows it in the progress line.
    /// - Parameters:
    ///   - epoch: the epoch in progress (1-based).
    ///   - state: the trainer state after the step just taken.
    ///   - secondsIntoEpoch: training seconds of this epoch so far.
    func record(_ monitor: any TrainingMonitor, epoch: Int, state: TrainerState, secondsIntoEpoch: Double,
                metrics: MetricsWriter) throws {
        let watch = Stopwatch()
        model.eval()
        defer { model.train() }
        let value = try withNoGrad { try monitor.measure(model) }
        let seconds = watch.elapsed
        try metrics.log([
            "epoch": epoch, "step": state.step, monitor.key: value, "monitor_seconds": seconds,
            "training_seconds": state.trainingSeconds + secondsIntoEpoch + seconds,
            "epochs_done": Double(state.step) / Double(Swift.max(loader.batchesPerEpoch, 1)),
        ])
        progress.status = String(format: "  %@ %.1f%%", monitor.label, value * 100)
    }
}
