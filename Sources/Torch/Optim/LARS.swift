/// LARS (You et al. 2017), as used by SimCLR: SGD with momentum whose step for each weight matrix is scaled
/// by the trust ratio η·‖w‖ / ‖g + λw‖. One-dimensional parameters (biases, batch-norm scales) skip the
/// adaptation and the weight decay, as in SimCLR's reference implementation.
public final class LARS: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    /// λ, the weight decay of matrices, and η, the trust coefficient.
    public let weightDecay: Double, trustCoefficient: Double
    private var buffers: MomentumBuffers

    /// μ, the momentum factor.
    public var momentum: Double { buffers.momentum }

    /// An optimizer of `parameters`, by default with the momentum, weight decay and trust coefficient of SimCLR.
    public init(_ parameters: [Tensor], learningRate: Double, momentum: Double = 0.9, weightDecay: Double = 1e-6,
                trustCoefficient: Double = 0.001) {
        self.parameters = parameters
        self.learningRate = learningRate
        buffers = MomentumBuffers(momentum: momentum, dampening: 0)
        self.weightDecay = weightDecay
        self.trustCoefficient = trustCoefficient
    }

    public func step() {
        withNoGrad {
            for (index, parameter) in parameters.enumerated() {
                guard var direction = parameter.grad else { continue }
                if parameter.rank > 1 {
                    if weightDecay != 0 { direction = direction + parameter * weightDecay }
                    let weightNorm = parameter.norm(dims: Array(0..<parameter.rank)).item
                    let updateNorm = direction.norm(dims: Array(0..<direction.rank)).item
                    if weightNorm > 0 && updateNorm > 0 {
                        direction = direction * (trustCoefficient * weightNorm / updateNorm)
                    }
                }
                guard let buffer = buffers.accumulate(direction, at: index) else { return }
                parameter.add_(buffer, alpha: -learningRate)
            }
        }
    }

    public func stateDict() -> [String: Tensor] { buffers.stateDict() }

    public func load(stateDict: [String: Tensor]) throws {
        try buffers.load(stateDict: stateDict, parameters: parameters)
    }
}
