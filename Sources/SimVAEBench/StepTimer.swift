import SimVAEMethods
import Torch

/// The timing rules every training-step benchmark of `simvae bench` follows, so their figures compare: warm-up
/// steps, then `rounds` rounds that each measure the device's matrix-product peak and then time their share of the
/// steps; every figure is the median over the rounds. On a shared machine a burst of outside load slows one round
/// down, or both halves of it alike: the median ignores the first, the per-round fraction of peak the second.
/// The reference scripts in `scripts/reference/` measure PyTorch the same way.
struct StepTimer {
    /// Images in one step.
    let batchSize: Int
    /// Timed steps, spread over the rounds.
    let steps: Int
    /// Measuring rounds (at most `steps`).
    let rounds: Int
    /// Untimed steps before the first round.
    let warmup: Int
    /// Where the step runs: the peak is measured there, and phases end with the device's queue drained.
    var device: Device = .cpu
    /// The precision of the step's forward pass; the peak is that type's matrix product.
    var precision: Precision = .fp32

    /// Seconds one step spent in the forward pass with the loss, in the backward pass, and in the optimizer.
    struct Phases {
        var forward = 0.0, backward = 0.0, optimizer = 0.0
    }

    /// Times training steps of `model` on `images` in sets of `views`: the gradients zeroed and the loss computed
    /// under autocast to `precision` on `device`, then the backward pass and `optimizer`'s update. `flopsPerImage`
    /// converts images/s into the fraction of peak.
    func measure(_ model: any Objective, optimizer: any Optimizer, images: Tensor, views: Int,
                 flopsPerImage: Double) throws -> TrainStepBenchmark.Measurement {
        try measure(flopsPerImage: flopsPerImage) {
            optimizer.zeroGrad()
            return try Autocast.run(on: device, to: precision.autocastType) {
                model.loss(images: images, views: views).loss
            }
        } optimize: {
            optimizer.step()
        }
    }

    /// Times `step`, which runs one training step and returns the tensor whose backward pass it performs; the
    /// forward pass ends when that loss exists, the backward pass when `backward` returns, the rest is the optimizer.
    /// `flopsPerImage` converts images/s into the fraction of peak.
    private func measure(flopsPerImage: Double, forward: () throws -> Tensor,
                         optimize: () -> Void) rethrows -> TrainStepBenchmark.Measurement {
        var phases = Phases()
        func step() throws {
            let start = Stopwatch()
            let loss = try forward()
            synchronize()
            let forwardEnd = start.elapsed
            loss.backward()
            synchronize()
            let backwardEnd = start.elapsed
            optimize()
            synchronize()
            let total = start.elapsed
            phases.forward += forwardEnd
            phases.backward += backwardEnd - forwardEnd
            phases.optimizer += total - backwardEnd
        }
        for _ in 0..<warmup { try step() }
        let before = ResidentMemory.current
        let roundCount = Swift.max(1, Swift.min(rounds, steps))
        let measured = try (0..<roundCount).map { round in
            let peak = MatrixProductSpeed.gigaflops(repeats: 3, device: device,
                                                    dtype: precision.autocastType ?? .float32)
            let count = steps / roundCount + (round < steps % roundCount ? 1 : 0)
            phases = Phases()
            let watch = Stopwatch()
            for _ in 0..<count { try step() }
            let rate = Double(batchSize * count) / watch.elapsed
            let perStep = 1000 / Double(count)
            return (rate: rate, peak: peak, fraction: rate * flopsPerImage / 1e9 / peak,
                    milliseconds: Phases(forward: phases.forward * perStep, backward: phases.backward * perStep,
                                         optimizer: phases.optimizer * perStep))
        }
        let median = TrainStepBenchmark.median
        return TrainStepBenchmark.Measurement(
            imagesPerSecond: median(measured.map(\.rate)), matmulGigaflops: median(measured.map(\.peak)),
            fractionOfPeak: median(measured.map(\.fraction)),
            forwardMilliseconds: median(measured.map(\.milliseconds.forward)),
            backwardMilliseconds: median(measured.map(\.milliseconds.backward)),
            optimizerMilliseconds: median(measured.map(\.milliseconds.optimizer)),
            flopsPerImage: flopsPerImage, residentBytesBefore: before, residentBytesAfter: ResidentMemory.current)
    }

    /// Waits for the work queued on the device: a GPU runs kernels asynchronously, so a phase ends only when a
    /// value computed after it has come back to the host. The CPU computes synchronously.
    private func synchronize() { MatrixProductSpeed.synchronize(device) }
}
