/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, matching
/// `torch.optim.SGD`.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    public let momentum: Double, dampening: Double, weightDecay: Double, nesterov: Bool
    private var state = ParameterStateStore()

    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and no dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public func step() {
        withNoGrad {
            for (index, parameter) in parameters.enumerated() {
                guard var direction = parameter.grad else { continue }
                if weightDecay != 0 { direction = direction + parameter * weightDecay }
                if momentum != 0 {
                    let buffer: Tensor
                    if let existing = state[index, "momentum_buffer"] {
                        buffer = existing.mul_(momentum).add_(direction, alpha: 1 - dampening)
                    } else {
                        buffer = direction.clone()
                        guard state.start(index, with: ["momentum_buffer": buffer]) else { return }
                    }
                    direction = nesterov ? direction + buffer * momentum : buffer
                }
                parameter.add_(direction, alpha: -learningRate)
            }
        }
    }

    public func stateDict() -> [String: Tensor] { state.flattened() }

    public func load(stateDict: [String: Tensor]) throws {
        state = try .restoring(stateDict, parameters: parameters, layout: ["momentum_buffer": .likeParameter])
    }
}
