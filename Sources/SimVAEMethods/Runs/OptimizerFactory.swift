import Torch

/// The optimizers `simvae train --optimizer` offers.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// Adam with the configured learning rate and eps, no weight decay (the paper's optimizer for all methods).
    case adam
    /// LARS with momentum 0.9 and weight decay 1e-6 (SimCLR's optimizer).
    case lars
}

/// Builds the optimizer a configuration names.
public enum OptimizerFactory {
    /// An optimizer over `parameters` with the configuration's kind and learning rate.
    public static func make(_ configuration: TrainingConfiguration, parameters: [Tensor]) -> any Optimizer {
        switch configuration.optimizer {
        case .adam: Adam(parameters, learningRate: configuration.learningRate, eps: configuration.adamEps)
        case .lars: LARS(parameters, learningRate: configuration.learningRate)
        }
    }
}
