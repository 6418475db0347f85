import Torch

/// How the learning rate moves over a run (`simvae train --schedule`); any warm-up (`--warmup-epochs`) comes first.
public enum ScheduleKind: String, Codable, CaseIterable, Sendable {
    /// The base rate throughout, after the warm-up.
    case constant
    /// Half a cosine from the base rate down to 0 at the last step, after the warm-up.
    case cosine
}

extension TrainingConfiguration {
    /// The learning rate of every step, for a run of `stepsPerEpoch` steps an epoch. The schedule is a pure
    /// function of the step, so a resumed run (whose checkpoint records the step) continues it exactly.
    public func learningRateSchedule(stepsPerEpoch: Int) -> LearningRateSchedule {
        let warmupSteps = Int((warmupEpochs * Double(stepsPerEpoch)).rounded())
        switch schedule {
        case .constant: return warmupSteps > 0 ? .linearWarmup(warmupSteps: warmupSteps) : .constant
        case .cosine: return .cosine(totalSteps: epochs * stepsPerEpoch, warmupSteps: warmupSteps)
        }
    }
}
