/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, matching
/// `torch.optim.SGD`.
public final class SGD: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    /// The L2 weight decay added to each gradient, and whether steps use Nesterov momentum.
    public let weightDecay: Double, nesterov: Bool
    private var buffers: MomentumBuffers

    /// μ, the momentum factor (0: none).
    public var momentum: Double { buffers.momentum }
    /// The share of each gradient left out of the momentum buffer.
    public var dampening: Double { buffers.dampening }

    /// An optimizer of `parameters`; Nesterov momentum needs `momentum` > 0 and no dampening.
    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum needs momentum > 0 and no dampening")
        self.parameters = parameters
        self.learningRate = learningRate
        buffers = MomentumBuffers(momentum: momentum, dampening: dampening)
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    public func step() {
        withNoGrad {
            for (index, parameter) in parameters.enumerated() {
                guard var direction = parameter.grad else { continue }
                if weightDecay != 0 { direction = direction + parameter * weightDecay }
                if momentum != 0 {
                    guard let buffer = buffers.accumulate(direction, at: index) else { return }
                    direction = nesterov ? direction + buffer * momentum : buffer
                }
                parameter.add_(direction, alpha: -learningRate)
            }
        }
    }

    public func stateDict() -> [String: Tensor] { buffers.stateDict() }

    public func load(stateDict: [String: Tensor]) throws {
        try buffers.load(stateDict: stateDict, parameters: parameters)
    }
}
