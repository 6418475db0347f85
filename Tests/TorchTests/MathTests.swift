import Foundation
import TestSupport
import Testing
@testable import Torch

/// An elementwise function, its scalar reference and the inputs where both are compared (away from kinks).
struct UnaryCase: Sendable, CustomTestStringConvertible {
    let name: String
    let op: @Sendable (Tensor) -> Tensor
    let reference: @Sendable (Double) -> Double
    let inputs: [Double]
    var testDescription: String { name }

    static let positives = [0.3, 0.5, 1, 2.5]
    static let mixed = [-2.5, -0.7, 0.4, 1.5]
    static let all: [UnaryCase] = [
        UnaryCase(name: "exp", op: { $0.exp() }, reference: Foundation.exp, inputs: mixed),
        UnaryCase(name: "log", op: { $0.log() }, reference: Foundation.log, inputs: positives),
        UnaryCase(name: "log1p", op: { $0.log1p() }, reference: Foundation.log1p, inputs: positives + [1e-10]),
        UnaryCase(name: "sqrt", op: { $0.sqrt() }, reference: Foundation.sqrt, inputs: positives),
        UnaryCase(name: "rsqrt", op: { $0.rsqrt() }, reference: { 1 / Foundation.sqrt($0) }, inputs: positives),
        UnaryCase(name: "squared", op: { $0.squared() }, reference: { $0 * $0 }, inputs: mixed),
        UnaryCase(name: "pow 3", op: { $0.pow(3) }, reference: { $0 * $0 * $0 }, inputs: mixed),
        UnaryCase(name: "pow 0.5", op: { $0.pow(0.5) }, reference: Foundation.sqrt, inputs: positives),
        UnaryCase(name: "abs", op: { $0.abs() }, reference: Swift.abs, inputs: mixed),
        UnaryCase(name: "clamped", op: { $0.clamped(min: -1, max: 1) }, reference: { Swift.min(1, Swift.max(-1, $0)) },
                  inputs: mixed),
        UnaryCase(name: "clamped min", op: { $0.clamped(min: 0) }, reference: { Swift.max(0, $0) }, inputs: mixed),
        UnaryCase(name: "clamped max", op: { $0.clamped(max: 0) }, reference: { Swift.min(0, $0) }, inputs: mixed),
        UnaryCase(name: "sigmoid", op: { $0.sigmoid() }, reference: { 1 / (1 + Foundation.exp(-$0)) }, inputs: mixed),
        UnaryCase(name: "tanh", op: { $0.tanh() }, reference: Foundation.tanh, inputs: mixed),
        UnaryCase(name: "relu", op: { $0.relu() }, reference: { Swift.max(0, $0) }, inputs: mixed),
        UnaryCase(name: "leakyRelu", op: { $0.leakyRelu(negativeSlope: 0.1) }, reference: { $0 > 0 ? $0 : 0.1 * $0 },
                  inputs: mixed),
        UnaryCase(name: "softplus", op: { $0.softplus() }, reference: { Foundation.log1p(Foundation.exp($0)) },
                  inputs: mixed),
        UnaryCase(name: "softplus beta 2", op: { $0.softplus(beta: 2) },
                  reference: { Foundation.log1p(Foundation.exp(2 * $0)) / 2 }, inputs: mixed),
        UnaryCase(name: "erf", op: { $0.erf() }, reference: Foundation.erf, inputs: mixed),
        UnaryCase(name: "sin", op: { $0.sin() }, reference: Foundation.sin, inputs: mixed),
        UnaryCase(name: "cos", op: { $0.cos() }, reference: Foundation.cos, inputs: mixed),
        UnaryCase(name: "reciprocal", op: { $0.reciprocal() }, reference: { 1 / $0 }, inputs: mixed),
        UnaryCase(name: "Double - x", op: { 2 - $0 }, reference: { 2 - $0 }, inputs: mixed),
        UnaryCase(name: "Double / x", op: { 3 / $0 }, reference: { 3 / $0 }, inputs: mixed),
    ]
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct MathTests {
    @Test(.drawsFromTheRandomGenerator, arguments: UnaryCase.all)
    func matchesScalarReference(_ unary: UnaryCase) {
        let x = t(unary.inputs)
        expectClose(unary.op(x), unary.inputs.map(unary.reference), atol: 1e-12)
        // The float32 kernels agree to float precision.
        expectClose(unary.op(x.float), unary.inputs.map(unary.reference), atol: 1e-5)
    }

    @Test(.drawsFromTheRandomGenerator) func softplusIsLinearAboveThreshold() {
        expectClose(t([30, 100]).softplus(), [30, 100])
        expectClose(t([3]).softplus(beta: 1, threshold: 2), [3])
    }

    @Test(.drawsFromTheRandomGenerator) func roundingAndSign() {
        let x = t([-1.5, -0.2, 0, 0.7, 2.5])
        expectClose(x.floor(), [-2, -1, 0, 0, 2])
        expectClose(x.ceil(), [-1, 0, 0, 1, 3])
        expectClose(x.rounded(), [-2, 0, 0, 1, 2])  // half to even, as in PyTorch
        expectClose(x.sign(), [-1, -1, 0, 1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func tensorExponentAndLerp() {
        expectClose(t([2, 3, 4]).pow(t([3, 2, 0.5])), [8, 9, 2])
        expectClose(t([0, 10]).lerp(to: t([10, 20]), weight: 0.25), [2.5, 12.5])
    }
}
