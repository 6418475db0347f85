import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct SGDTests {
    @Test(.drawsFromTheRandomGenerator) func plainStep() {
        let sgd = SGD([parameter([1, 2])], learningRate: 0.5)
        expectClose(trajectory(sgd, steps: 2) { _ in [1, -2] }.flatMap { $0 }, [0.5, 3, 0, 4])
    }

    @Test(.drawsFromTheRandomGenerator) func momentum() {
        // buf = 1, 1.9, 2.71; p = 1 − 0.1·buf cumulatively.
        let sgd = SGD([parameter([1])], learningRate: 0.1, momentum: 0.9)
        expectClose(trajectory(sgd, steps: 3) { _ in [1] }.map { $0[0] }, [0.9, 0.71, 0.439], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func nesterovMomentum() {
        // d = g + 0.9·buf: 1.9, then 2.71.
        let sgd = SGD([parameter([1])], learningRate: 0.1, momentum: 0.9, nesterov: true)
        expectClose(trajectory(sgd, steps: 2) { _ in [1] }.map { $0[0] }, [0.81, 0.539], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func dampeningAndWeightDecay() {
        // buf₁ = g (no dampening on the first step), buf₂ = 0.9·1 + 0.5·1 = 1.4.
        let damped = SGD([parameter([0])], learningRate: 1, momentum: 0.9, dampening: 0.5)
        expectClose(trajectory(damped, steps: 2) { _ in [1] }.map { $0[0] }, [-1, -2.4], atol: 1e-12)
        let decayed = SGD([parameter([1])], learningRate: 0.1, weightDecay: 0.5)
        expectClose(trajectory(decayed, steps: 2) { _ in [0] }.map { $0[0] }, [0.95, 0.9025], atol: 1e-12)
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct LARSTests {
    @Test(.drawsFromTheRandomGenerator) func trustRatioScalesMatrices() {
        let w = t([3, 4], [1, 2]).requiringGrad()  // ‖w‖ = 5
        let lars = LARS([w], learningRate: 1, momentum: 0.9, weightDecay: 0, trustCoefficient: 0.001)
        setGradient(w, [0, 2])  // ‖g‖ = 2: the step is g · 0.001·5/2
        lars.step()
        expectClose(w, [3, 4 - 0.005], atol: 1e-12)
        setGradient(w, [0, 2])
        lars.step()  // buf = 0.9·0.005 + ratio·g, with ‖w‖ now 5 − ε
        let norm = (9 + 3.995 * 3.995).squareRoot()
        expectClose(w, [3, 3.995 - (0.9 * 0.005 + 0.001 * norm)], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func weightDecayEntersTheTrustRatio() {
        let w = t([3, 4], [1, 2]).requiringGrad()
        let lars = LARS([w], learningRate: 2, weightDecay: 0.1, trustCoefficient: 0.01)
        setGradient(w, [0, 1])
        lars.step()
        let direction = [0.3, 1.4]  // g + 0.1·w
        let ratio = 0.01 * 5 / (0.09 + 1.96).squareRoot()
        expectClose(w, [3 - 2 * ratio * direction[0], 4 - 2 * ratio * direction[1]], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func vectorsTakePlainMomentumSteps() {
        let bias = parameter([1])
        let lars = LARS([bias], learningRate: 1, momentum: 0.5, weightDecay: 0.1)
        expectClose(trajectory(lars, steps: 2) { _ in [2] }.map { $0[0] }, [-1, -4], atol: 1e-12)
    }
}
