import Torch

/// A momentum network (MoCo's key network, BYOL's target network): target modules that follow online modules
/// of the same architecture as an exponential moving average of their parameters,
///
///     target ← m·target + (1 − m)·online.
///
/// The objective keeps the target modules as stored properties of its own, so the state dict holds them under
/// their property names (e.g. `key_encoder.…`) and a resumed run continues exactly. Their tensors are taken off
/// gradients, which makes them buffers: no gradient reaches them and optimizers never see them. This value
/// only pairs the target's tensors with the online ones; it is not a module and adds nothing to the state dict.
///
/// Buffers (batch-norm statistics and counters) are copied once, when the networks are paired, and are each
/// network's own afterwards, updated by its own forward passes, as in MoCo's and BYOL's reference code.
public struct MomentumNetwork {
    /// m: the share of its current value that a target parameter keeps at each update.
    public let momentum: Double
    /// (online, target) parameter pairs that `update()` moves, found once rather than by reflection every step.
    private let parameterPairs: [(online: Tensor, target: Tensor)]

    /// Pairs each module of `target` with the module of `online` at its position (same architectures: the
    /// tensors' names and shapes must match), copies every online tensor (parameters and buffers) into its
    /// target twin and takes the target tensors off gradients.
    public init(online: [Module], target: [Module], momentum: Double) {
        precondition((0...1).contains(momentum), "a momentum network's momentum must lie in [0, 1], not \(momentum)")
        precondition(online.count == target.count, "a momentum network pairs as many target modules as online ones")
        var pairs: [(online: Tensor, target: Tensor)] = []
        withNoGrad {
            for (onlineModule, targetModule) in zip(online, target) {
                let onlineTensors = onlineModule.namedTensors(), targetTensors = targetModule.namedTensors()
                precondition(onlineTensors.map(\.0) == targetTensors.map(\.0)
                             && onlineTensors.map(\.1.shape) == targetTensors.map(\.1.shape),
                             "the target network must have the online network's architecture")
                for ((_, onlineTensor), (_, targetTensor)) in zip(onlineTensors, targetTensors) {
                    targetTensor.copy_(onlineTensor)
                    targetTensor.requiresGrad = false
                    if onlineTensor.requiresGrad { pairs.append((onlineTensor, targetTensor)) }
                }
            }
        }
        self.momentum = momentum
        parameterPairs = pairs
    }

    /// target ← m·target + (1 − m)·online for every parameter of the online modules (buffers excepted).
    public func update() {
        withNoGrad {
            for (online, target) in parameterPairs {
                target.lerp_(online, weight: 1 - momentum)
            }
        }
    }
}
