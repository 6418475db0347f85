import Testing

/// libtorch's random generator is one per process. A test that seeds it and expects the same numbers again (a
/// resumed run repeating an uninterrupted one, a seed giving the same weights) fails when another test draws
/// from it in between, which a parallel `swift test` allows. Every test that draws from the generator, seeding
/// it or not (building a module draws its initial weights), holds this gate, so those tests run one at a time
/// while the others still run in parallel.
///
///     @Suite(.serialized, .drawsFromTheRandomGenerator) struct ModuleTests { … }
///     @Test(.drawsFromTheRandomGenerator) func resumedRunRepeatsTheUninterruptedLosses() throws { … }
public struct RandomGeneratorGate: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        // A test inside a gated suite already holds the gate.
        if RandomGeneratorGate.isHeld { return try await function() }
        await Turnstile.shared.enter()
        do {
            try await RandomGeneratorGate.$isHeld.withValue(true) { try await function() }
        } catch {
            await Turnstile.shared.leave()
            throw error
        }
        await Turnstile.shared.leave()
    }

    @TaskLocal private static var isHeld = false
}

extension Trait where Self == RandomGeneratorGate {
    /// The test or suite draws from libtorch's random generator: it runs while no other such test does.
    public static var drawsFromTheRandomGenerator: Self { RandomGeneratorGate() }
}

/// One holder at a time, the others waiting in arrival order.
private actor Turnstile {
    static let shared = Turnstile()
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard held else {
            held = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty {
            held = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
