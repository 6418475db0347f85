import Foundation
import Testing
@testable import Torch

extension Tensor {
    /// The elements as `Double`s, for comparisons.
    var doubles: [Double] { scalars(as: Double.self) }
}

/// Expects two equally long lists to agree elementwise within `atol` (NaNs agree with NaNs).
func expectClose(_ a: [Double], _ b: [Double], atol: Double = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard a.count == b.count else {
        Issue.record("lengths differ: \(a.count) vs \(b.count): \(a) vs \(b)", sourceLocation: sourceLocation)
        return
    }
    let worst = zip(a, b).map { x, y in (x.isNaN && y.isNaN) || x == y ? 0 : Swift.abs(x - y) }.max() ?? 0
    #expect(worst <= atol, "\(a) vs \(b): differ by \(worst) > \(atol)", sourceLocation: sourceLocation)
}

/// Expects a tensor to have `shape` (when given) and the values `expected` in row-major order.
func expectClose(_ tensor: Tensor, _ expected: [Double], shape: [Int]? = nil, atol: Double = 1e-6,
                 sourceLocation: SourceLocation = #_sourceLocation) {
    if let shape { #expect(tensor.shape == shape, sourceLocation: sourceLocation) }
    expectClose(tensor.doubles, expected, atol: atol, sourceLocation: sourceLocation)
}

/// Deterministic pseudo-random numbers (SplitMix64), so tests do not touch libtorch's shared generator.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A float64 tensor of uniform values in `range`, reproducible from `seed`.
func sample(_ shape: [Int], seed: UInt64, in range: ClosedRange<Double> = -1...1) -> Tensor {
    var generator = SplitMix(seed: seed)
    let values = (0..<shape.reduce(1, *)).map { _ in Double.random(in: range, using: &generator) }
    return Tensor(values, shape: shape)
}

/// Tests run in parallel; those that draw from (or reseed) libtorch's global generator take this lock so
/// that their sequences are not interleaved with other tests' draws.
private let generatorLock = NSLock()
func withGlobalGenerator<R>(_ body: () throws -> R) rethrows -> R {
    generatorLock.lock()
    defer { generatorLock.unlock() }
    return try body()
}

/// Compares autograd's gradient of sum(f(x)·w), for a fixed pseudo-random w, with central finite differences
/// (f(x+h) − f(x−h)) / 2h in float64, elementwise within `tolerance` relative to max(1, |numeric|).
func checkGradient(_ f: (Tensor) -> Tensor, at x: Tensor, h: Double = 1e-6, tolerance: Double = 1e-6,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    let base = x.doubles
    let input = Tensor(base, shape: x.shape).requiringGrad()
    let output = f(input)
    #expect(output.dtype == .float64, "the gradient check needs float64 outputs", sourceLocation: sourceLocation)
    let weights = sample(output.shape, seed: 0x5EED, in: 0.5...1.5)
    (output * weights).sum().backward()
    guard let analytic = input.grad?.doubles else {
        Issue.record("no gradient reached the input", sourceLocation: sourceLocation)
        return
    }
    func objective(_ values: [Double]) -> Double {
        withNoGrad { (f(Tensor(values, shape: x.shape)) * weights).sum().item }
    }
    var worst = 0.0
    var worstIndex = 0
    for index in base.indices {
        var plus = base, minus = base
        plus[index] += h
        minus[index] -= h
        let numeric = (objective(plus) - objective(minus)) / (2 * h)
        let error = Swift.abs(numeric - analytic[index]) / Swift.max(1, Swift.abs(numeric))
        if error > worst { (worst, worstIndex) = (error, index) }
    }
    #expect(worst <= tolerance, "gradient off by \(worst) (relative) at element \(worstIndex)",
            sourceLocation: sourceLocation)
}

/// Checks the gradient of a three-argument function (input, weight, bias) with respect to each argument.
func checkGradients(_ f: (Tensor, Tensor, Tensor) -> Tensor, at x: Tensor, _ weight: Tensor, _ bias: Tensor,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    checkGradient({ f($0, weight, bias) }, at: x, sourceLocation: sourceLocation)
    checkGradient({ f(x, $0, bias) }, at: weight, sourceLocation: sourceLocation)
    checkGradient({ f(x, weight, $0) }, at: bias, sourceLocation: sourceLocation)
}

/// A float64 tensor from literal values.
func t(_ values: [Double], _ shape: [Int]? = nil) -> Tensor { Tensor(values, shape: shape ?? [values.count]) }
