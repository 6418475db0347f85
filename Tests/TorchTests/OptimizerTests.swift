import Foundation
import TestSupport
import Testing
@testable import Torch

/// A parameter holding `values` with the gradient `gradient` set, as `backward` would leave it.
private func parameter(_ values: [Double], dtype: DType = .float64) -> Tensor {
    t(values).to(dtype).requiringGrad()
}

private func setGradient(_ parameter: Tensor, _ values: [Double]) {
    parameter.grad = t(values, parameter.shape).to(parameter.dtype)
}

/// Runs `steps` optimizer steps with the gradients `gradients(step)` and returns the parameter values after each.
private func trajectory(_ optimizer: Optimizer, steps: Int, gradients: (Int) -> [Double]) -> [[Double]] {
    (0..<steps).map { step in
        setGradient(optimizer.parameters[0], gradients(step))
        optimizer.step()
        return optimizer.parameters[0].doubles
    }
}

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

/// The optimizers under a common name, for the checkpoint test.
enum OptimizerKind: String, CaseIterable, Sendable {
    case adam, adamW, sgd, lars

    func make(_ parameters: [Tensor]) -> Optimizer {
        switch self {
        case .adam: Adam(parameters, learningRate: 0.05)
        case .adamW: Adam(parameters, learningRate: 0.05, weightDecay: 0.1, decoupledWeightDecay: true)
        case .sgd: SGD(parameters, learningRate: 0.05, momentum: 0.9, nesterov: true)
        case .lars: LARS(parameters, learningRate: 0.5, weightDecay: 0.01)
        }
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct OptimizerStateTests {
    @Test(.drawsFromTheRandomGenerator, arguments: OptimizerKind.allCases)
    func restoredOptimizerResumesIdentically(kind: OptimizerKind) throws {
        let shapes = [[3, 2], [2]]
        let original = shapes.enumerated().map { sample($1, seed: 70 + UInt64($0)).float.requiringGrad() }
        let first = kind.make(original)
        func runSteps(_ optimizer: Optimizer, _ range: Range<Int>) {
            for step in range {
                for (index, p) in optimizer.parameters.enumerated() {
                    p.grad = sample(p.shape, seed: UInt64(1000 * step + index)).float
                }
                optimizer.step()
            }
        }
        runSteps(first, 0..<3)
        // Checkpoint through a file, as training would, into fresh parameters and a fresh optimizer.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("opt-\(kind)-\(UUID()).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(first.stateDict(), to: url)
        let copies = original.map { $0.detached().clone().requiringGrad() }
        let second = kind.make(copies)
        try second.load(stateDict: SafeTensors.read(url))
        runSteps(first, 3..<6)
        runSteps(second, 3..<6)
        for (a, b) in zip(original, copies) { #expect(a.doubles == b.doubles) }
        // Without the state the trajectory differs: the test is sensitive to it.
        let fresh = original.map { $0.detached().clone().requiringGrad() }
        let unrestored = kind.make(fresh)
        runSteps(unrestored, 6..<7)
        runSteps(first, 6..<7)
        #expect(fresh[0].doubles != original[0].doubles)
    }

    @Test(.drawsFromTheRandomGenerator) func loadRejectsForeignState() {
        let p = parameter([1, 2])
        let adam = Adam([p])
        #expect(throws: TorchError.self) { try adam.load(stateDict: ["state.3.exp_avg": t([0, 0])]) }
        #expect(throws: TorchError.self) { try adam.load(stateDict: ["bogus": t([0, 0])]) }
        let error = #expect(throws: TorchError.self) { try adam.load(stateDict: ["state.0.exp_avg": t([0, 0, 0])]) }
        #expect(error?.message.contains("state.0.exp_avg") == true)
    }

    @Test(.drawsFromTheRandomGenerator) func loadRejectsIncompleteOrUnknownState() throws {
        // A checkpoint missing part of a parameter's state must be refused, not crash the next step.
        let p = parameter([1, 2])
        let adam = Adam([p])
        let incomplete = #expect(throws: TorchError.self) { try adam.load(stateDict: ["state.0.exp_avg": t([0, 0])]) }
        #expect(incomplete?.message.contains("state.0.exp_avg_sq") == true, "\(incomplete?.message ?? "")")
        let unknown = #expect(throws: TorchError.self) { try adam.load(stateDict: ["state.0.velocity": t([0, 0])]) }
        #expect(unknown?.message.contains("state.0.velocity") == true, "\(unknown?.message ?? "")")
        // After a refused load the optimizer still works from its previous state.
        setGradient(p, [1, 1])
        adam.step()
        #expect(p.doubles != [1, 2])
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct StrictOptimizerStateTests {
    /// A complete, valid Adam state for one float64 parameter of two elements, with `changes` applied.
    private func adamState(_ changes: [String: Tensor] = [:]) -> [String: Tensor] {
        ["state.0.exp_avg": t([0.1, 0.2]), "state.0.exp_avg_sq": t([0.3, 0.4]),
         "state.0.step": Tensor(scalar: Float(3))].merging(changes) { $1 }
    }

    /// Expects loading `state` into `optimizer` to throw a message with every one of `words`, and the next step
    /// to run as if the load had not been tried.
    private func expectRefused(_ state: [String: Tensor], by kind: OptimizerKind, mentioning words: [String],
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let (p, twin) = (parameter([1, 2]), parameter([1, 2]))
        let (optimizer, untouched) = (kind.make([p]), kind.make([twin]))
        let error = #expect(throws: TorchError.self, sourceLocation: sourceLocation) {
            try optimizer.load(stateDict: state)
        }
        for word in words {
            #expect(error?.message.contains(word) == true, "\(error?.message ?? "") lacks \(word)",
                    sourceLocation: sourceLocation)
        }
        for (target, optimizer) in [(p, optimizer), (twin, untouched)] {
            setGradient(target, [0.5, -1])
            optimizer.step()
        }
        #expect(p.doubles == twin.doubles, sourceLocation: sourceLocation)
    }

    @Test(.drawsFromTheRandomGenerator) func wrongTypesAreRefused() {
        expectRefused(adamState(["state.0.exp_avg": Tensor([0, 0] as [Int32])]), by: .adam,
                      mentioning: ["state.0.exp_avg", "int32", "float64"])
        expectRefused(adamState(["state.0.exp_avg_sq": t([0, 0]).float]), by: .adam,
                      mentioning: ["state.0.exp_avg_sq", "float32", "float64"])
        expectRefused(adamState(["state.0.step": Tensor(scalar: Int64(3))]), by: .adam,
                      mentioning: ["state.0.step", "int64"])
        for kind in [OptimizerKind.sgd, .lars] {
            expectRefused(["state.0.momentum_buffer": t([0, 0]).float], by: kind,
                          mentioning: ["state.0.momentum_buffer", "float32", "float64"])
        }
    }

    @Test(.drawsFromTheRandomGenerator) func wrongShapesAreRefused() {
        expectRefused(adamState(["state.0.exp_avg_sq": t([0, 0, 0])]), by: .adam,
                      mentioning: ["state.0.exp_avg_sq", "[3]", "[2]"])
        for shape in [[1], [2], [0], [1, 1]] {
            let step = Tensor(zeros: shape, dtype: .float32)
            expectRefused(adamState(["state.0.step": step]), by: .adam, mentioning: ["state.0.step", "\(shape)"])
        }
        for kind in [OptimizerKind.sgd, .lars] {
            expectRefused(["state.0.momentum_buffer": t([0, 0], [1, 2])], by: kind,
                          mentioning: ["state.0.momentum_buffer", "[1, 2]"])
        }
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [Float.nan, .infinity, -1, 2.5])
    func stepsThatAreNotCountsAreRefused(step: Float) {
        expectRefused(adamState(["state.0.step": Tensor(scalar: step)]), by: .adam,
                      mentioning: ["state.0.step", "\(Double(step))", "not a step count"])
    }

    @Test(.drawsFromTheRandomGenerator, arguments: OptimizerKind.allCases)
    func aStepInAFailedScopeChangesNothing(kind: OptimizerKind) throws {
        let (p, twin) = (parameter([1, 2]), parameter([1, 2]))
        let (optimizer, untouched) = (kind.make([p]), kind.make([twin]))
        setGradient(p, [0.5, -1])
        let error = #expect(throws: TorchError.self) {
            try Tensor.checking {
                _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                optimizer.step()
            }
        }
        #expect(error != nil)
        #expect(p.doubles == [1, 2] && optimizer.stateDict().isEmpty)
        // The optimizer then works as a fresh one does.
        for (target, optimizer) in [(p, optimizer), (twin, untouched)] {
            for _ in 0..<2 {
                setGradient(target, [0.5, -1])
                optimizer.step()
            }
        }
        #expect(p.doubles == twin.doubles)
        #expect(Set(optimizer.stateDict().keys) == Set(untouched.stateDict().keys))
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ScheduleTests {
    @Test(.drawsFromTheRandomGenerator) func constantAndWarmup() {
        #expect(LearningRateSchedule.constant.learningRate(at: 1234, base: 0.3) == 0.3)
        let warmup = LearningRateSchedule.linearWarmup(warmupSteps: 4)
        #expect((0..<6).map { warmup.learningRate(at: $0, base: 1) } == [0.25, 0.5, 0.75, 1, 1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func cosine() {
        let cosine = LearningRateSchedule.cosine(totalSteps: 100)
        expectClose([0, 50, 100, 150].map { cosine.learningRate(at: $0, base: 2) }, [2, 1, 0, 0], atol: 1e-12)
        expectClose([cosine.learningRate(at: 25, base: 2)], [1 + Foundation.cos(Double.pi / 4)], atol: 1e-12)
        let warm = LearningRateSchedule.cosine(totalSteps: 110, warmupSteps: 10, floor: 0.1)
        expectClose([0, 4, 9, 10, 60, 110].map { warm.learningRate(at: $0, base: 1) },
                    [0.1, 0.5, 1, 1, 0.55, 0.1], atol: 1e-12)
    }
}
