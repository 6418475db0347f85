import Foundation
import TestSupport
import Testing
@testable import Torch

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
