import Foundation

/// A learning rate as a function of the optimisation step.
public enum LearningRateSchedule: Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// Cosine decay from the base rate to `floor`·base over `totalSteps`, after `warmupSteps` of linear warm-up.
    case cosine(totalSteps: Int, warmupSteps: Int = 0, floor: Double = 0)
    /// Linear warm-up from 0 over `warmupSteps`, then constant.
    case linearWarmup(warmupSteps: Int)

    /// The rate at `step` (0-based) for a base rate `base`.
    public func learningRate(at step: Int, base: Double) -> Double {
        switch self {
        case .constant:
            return base
        case .linearWarmup(let warmup):
            return warmup > 0 && step < warmup ? base * Double(step + 1) / Double(warmup) : base
        case .cosine(let total, let warmup, let floor):
            if warmup > 0 && step < warmup { return base * Double(step + 1) / Double(warmup) }
            let span = Swift.max(1, total - warmup)
            let progress = Swift.min(1, Double(step - warmup) / Double(span))
            return base * (floor + (1 - floor) * 0.5 * (1 + Foundation.cos(Double.pi * progress)))
        }
    }
}
