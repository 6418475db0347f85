import Foundation
import TestSupport
import Testing
@testable import Torch

/// PyTorch's Adam update for one scalar, written out from the algorithm in its documentation.
private func referenceAdam(p: Double, gradients: [Double], lr: Double, beta1: Double = 0.9, beta2: Double = 0.999,
                           eps: Double = 1e-8, weightDecay: Double = 0, decoupled: Bool = false) -> [Double] {
    var (p, m, v) = (p, 0.0, 0.0)
    return gradients.enumerated().map { index, g0 in
        let step = Double(index + 1)
        var g = g0
        if decoupled { p *= 1 - lr * weightDecay } else { g += weightDecay * p }
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        let mHat = m / (1 - Foundation.pow(beta1, step)), vHat = v / (1 - Foundation.pow(beta2, step))
        p -= lr * mHat / (vHat.squareRoot() + eps)
        return p
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct AdamTests {
    @Test(.drawsFromTheRandomGenerator, arguments: [DType.float32, .float64])
    func firstStepMovesByTheLearningRate(dtype: DType) {
        // m̂ = g and v̂ = g², so the first step is lr · g/|g| (up to eps).
        let p = parameter([1, -2], dtype: dtype)
        let adam = Adam([p], learningRate: 0.1)
        setGradient(p, [0.5, -3])
        adam.step()
        expectClose(p, [0.9, -1.9], atol: 1e-6)
        #expect(p.dtype == dtype)
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [DType.float32, .float64])
    func followsTheReferenceUpdate(dtype: DType) {
        let gradients = [0.5, -1, 0.25, 2, -0.1]
        let adam = Adam([parameter([1], dtype: dtype)], learningRate: 0.1)
        let path = trajectory(adam, steps: 5) { [gradients[$0]] }
        expectClose(path.map { $0[0] }, referenceAdam(p: 1, gradients: gradients, lr: 0.1), atol: 1e-6)
    }

    @Test(.drawsFromTheRandomGenerator) func l2WeightDecayAddsToTheGradient() {
        let adam = Adam([parameter([1])], learningRate: 0.1, weightDecay: 0.1)
        let path = trajectory(adam, steps: 3) { _ in [0] }
        // The first step sees g = 0.1·p only: a full lr step.
        expectClose([path[0][0]], [0.9], atol: 1e-6)
        expectClose(path.map { $0[0] }, referenceAdam(p: 1, gradients: [0, 0, 0], lr: 0.1, weightDecay: 0.1))
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [DType.float32, .float64])
    func adamWDecaysDecoupled(dtype: DType) {
        // With a zero gradient the moments stay zero and only the decay acts: p ← p·(1 − lr·λ).
        let adam = Adam([parameter([1], dtype: dtype)], learningRate: 0.1, weightDecay: 0.1,
                        decoupledWeightDecay: true)
        let path = trajectory(adam, steps: 2) { _ in [0] }
        expectClose(path.map { $0[0] }, [0.99, 0.9801], atol: 1e-7)
        let withGradient = Adam([parameter([1], dtype: dtype)], learningRate: 0.1, weightDecay: 0.1,
                                decoupledWeightDecay: true)
        let gradients = [0.5, -1, 0.3]
        expectClose(trajectory(withGradient, steps: 3) { [gradients[$0]] }.map { $0[0] },
                    referenceAdam(p: 1, gradients: gradients, lr: 0.1, weightDecay: 0.1, decoupled: true),
                    atol: 1e-6)
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [false, true])
    func fusedPathMatchesTensorPath(decoupled: Bool) {
        // 70 000 elements span two chunks of the fused kernel; float64 parameters take the tensor-op path.
        let count = 70_000
        let initial = sample([count], seed: 50)
        let fast = initial.float.requiringGrad(), slow = initial.clone().requiringGrad()
        let options = (lr: 0.01, wd: 0.05)
        let fastAdam = Adam([fast], learningRate: options.lr, weightDecay: options.wd, decoupledWeightDecay: decoupled)
        let slowAdam = Adam([slow], learningRate: options.lr, weightDecay: options.wd, decoupledWeightDecay: decoupled)
        for step in 0..<4 {
            let gradient = sample([count], seed: 60 + UInt64(step))
            fast.grad = gradient.float
            slow.grad = gradient
            fastAdam.step()
            slowAdam.step()
        }
        expectClose(fast.doubles, slow.doubles, atol: 1e-5)
        expectClose(fastAdam.stateDict()["state.0.exp_avg_sq"]!.doubles, slowAdam.stateDict()["state.0.exp_avg_sq"]!.doubles,
                    atol: 1e-6)
    }

    #if arch(x86_64)
    @Test(.drawsFromTheRandomGenerator) func vectorSquareRootRoundsLikeTheScalarOne() {
        // The fused kernel's square root must give the very bits the scalar `squareRoot()` gives.
        let lanes = SIMD8<Float>(0, 1e-38, 2, 1e-12, 0.5, 3.4e38, 12345.678, .infinity)
        let roots = lanes.vectorSquareRoot()
        for index in lanes.indices {
            #expect(roots[index].bitPattern == lanes[index].squareRoot().bitPattern)
        }
        #expect(SIMD8<Float>(repeating: -1).vectorSquareRoot()[0].isNaN)
    }

    @Test(.drawsFromTheRandomGenerator) func fusedUpdateFlushesDenormalMomentsToZero() throws {
        // A zero gradient leaves exp_avg = 0.9 · 1e-39, a denormal the fused kernel flushes to zero; the normal
        // exp_avg beside it decays as usual. Three chunks (two full, one with a scalar tail) run on the worker
        // threads, and the caller's floating-point mode is the same afterwards.
        let count = 2 << 16 + 3
        let p = Tensor(zeros: [count], dtype: .float32).requiringGrad()
        let adam = Adam([p], learningRate: 0.1)
        p.grad = Tensor(zeros: [count], dtype: .float32)
        let moments = (0..<count).map { $0 == 0 ? Float(1e-3) : Float(1e-39) }
        try adam.load(stateDict: [
            "state.0.exp_avg": Tensor(moments),
            "state.0.exp_avg_sq": Tensor(ones: [count], dtype: .float32),
            "state.0.step": Tensor(zeros: [], dtype: .float32),
        ])
        var before = fenv_t(), after = fenv_t()
        fegetenv(&before)
        adam.step()
        fegetenv(&after)
        #expect(after.__mxcsr & 0x8040 == before.__mxcsr & 0x8040)
        let updated = adam.stateDict()["state.0.exp_avg"]!.doubles
        #expect(abs(updated[0] - 0.9e-3) < 1e-9)
        #expect(updated[1...].allSatisfy { $0 == 0 })
    }
    #endif

    @Test(.drawsFromTheRandomGenerator) func parametersUpdatedTogetherMatchSeparateOptimizers() {
        // Float32 parameters of several sizes share one parallel pass; a float64 one takes the tensor path. Each
        // must end exactly where an optimizer of its own leaves it.
        let shapes = [[300, 500], [7], [70_000], [3, 3]]
        let initial = shapes.enumerated().map { sample($1, seed: 80 + UInt64($0)) }
        let together = initial.enumerated().map { ($0 == 1 ? $1.clone() : $1.float).requiringGrad() }
        let alone = together.map { $0.detached().clone().requiringGrad() }
        let shared = Adam(together, learningRate: 0.01, weightDecay: 0.01)
        let separate = alone.map { Adam([$0], learningRate: 0.01, weightDecay: 0.01) }
        for step in 0..<3 {
            for (index, shape) in shapes.enumerated() {
                let gradient = sample(shape, seed: 90 + UInt64(10 * step + index)).to(together[index].dtype)
                together[index].grad = gradient
                alone[index].grad = gradient.clone()
            }
            shared.step()
            separate.forEach { $0.step() }
        }
        for (a, b) in zip(together, alone) { #expect((a - b).abs().max().item == 0) }
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [false, true])
    func aParameterListedTwiceIsUpdatedTwiceInOrder(decoupled: Bool) {
        // Adam([p, p]) must do exactly what two one-parameter optimizers stepped one after the other do.
        let count = 70_000
        let twice = sample([count], seed: 70).float.requiringGrad()
        let inTurn = twice.detached().clone().requiringGrad()
        func adam(_ parameters: [Tensor]) -> Adam {
            Adam(parameters, learningRate: 0.01, weightDecay: 0.05, decoupledWeightDecay: decoupled)
        }
        let listedTwice = adam([twice, twice]), first = adam([inTurn]), second = adam([inTurn])
        for step in 0..<3 {
            let gradient = sample([count], seed: 75 + UInt64(step)).float
            twice.grad = gradient
            inTurn.grad = gradient.clone()
            listedTwice.step()
            first.step()
            second.step()
        }
        #expect((twice - inTurn).abs().max().item == 0)
    }

    @Test(.drawsFromTheRandomGenerator) func parametersWithoutGradientsAreSkipped() {
        let (a, b) = (parameter([1]), parameter([2]))
        let adam = Adam([a, b], learningRate: 0.1)
        setGradient(a, [1])
        adam.step()
        expectClose(b, [2])
        #expect(Set(adam.stateDict().keys) == ["state.0.exp_avg", "state.0.exp_avg_sq", "state.0.step"])
    }
}
