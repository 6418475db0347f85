import Dispatch
import Foundation
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// Adam (Kingma & Ba) and, with `decoupledWeightDecay`, AdamW (Loshchilov & Hutter), matching PyTorch's
/// update. On contiguous float32 CPU tensors the whole update runs as one fused pass over memory
/// (parameter, gradient and both moments read once), split across cores, and on x86-64 with denormals flushed
/// to zero when `eps > 0`; elsewhere (a GPU) the parameters at the same step are updated together by libtorch's
/// multi-tensor operators (`MultiTensorAdamUpdate`).
public final class Adam: Optimizer {
    public let parameters: [Tensor]
    public var learningRate: Double
    /// The decay rates of the first and second moment estimates, the term added to the denominator for stability,
    /// and the weight decay λ.
    public let beta1: Double, beta2: Double, eps: Double, weightDecay: Double
    /// AdamW: weight decay shrinks the parameters directly instead of being added to the gradient.
    public let decoupledWeightDecay: Bool
    private var state = ParameterStateStore()

    /// An optimizer of `parameters` with PyTorch's defaults; `decoupledWeightDecay` makes it AdamW.
    public init(_ parameters: [Tensor], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                eps: Double = 1e-8, weightDecay: Double = 0, decoupledWeightDecay: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    public func step() {
        withNoGrad {
            // Fused updates are collected and then run together, so the cores are woken once per step. A parameter
            // listed twice is updated twice, one update after the other: the batch so far runs first.
            var kernels: [FusedAdamKernel] = [], operands: [Tensor] = []
            // The other parameters, grouped by their step count, which sets the update's coefficients.
            var lists: [Double: MultiTensorAdamUpdate] = [:]
            func runKernels() {
                withExtendedLifetime(operands) { FusedAdamKernel.run(kernels, parallel: Runtime.threadCount > 1) }
                kernels.removeAll()
                operands.removeAll()
            }
            func runLists() {
                for (step, list) in lists.sorted(by: { $0.key < $1.key }) {
                    let update = Update(adam: self, step: step)
                    list.run(beta1: beta1, beta2: beta2, eps: eps, stepSize: update.stepSize,
                             sqrtCorrection2: update.sqrtCorrection2, l2: update.l2)
                }
                lists.removeAll()
            }
            for (index, parameter) in parameters.enumerated() {
                guard let gradient = parameter.grad else { continue }
                if state[index, "exp_avg"] == nil {
                    let first = ["exp_avg": parameter.zerosLike(), "exp_avg_sq": parameter.zerosLike(),
                                 "step": Tensor(zeros: [], dtype: .float32)]
                    guard state.start(index, with: first) else { return }
                }
                let stepTensor = state[index, "step"]!
                stepTensor.add_(1)
                let (m, v) = (state[index, "exp_avg"]!, state[index, "exp_avg_sq"]!)
                let step = stepTensor.item
                let kernel = fusedKernel(parameter, gradient, m, v, Update(adam: self, step: step))
                if let kernel, kernels.contains(where: { $0.p == kernel.p }) { runKernels() }
                if kernel == nil, lists.values.contains(where: { $0.contains(parameter) }) { runLists() }
                if decoupledWeightDecay && weightDecay != 0 { parameter.mul_(1 - learningRate * weightDecay) }
                if let kernel {
                    kernels.append(kernel)
                    operands += [parameter, gradient, m, v]
                } else {
                    lists[step, default: MultiTensorAdamUpdate()].append(parameter, gradient: gradient,
                                                                       firstMoment: m, secondMoment: v)
                }
            }
            runKernels()
            runLists()
        }
    }

    /// The coefficients of one parameter's update at a given step.
    private struct Update {
        let stepSize: Double, sqrtCorrection2: Double, l2: Double

        init(adam: Adam, step: Double) {
            stepSize = adam.learningRate / (1 - Foundation.pow(adam.beta1, step))
            sqrtCorrection2 = Foundation.sqrt(1 - Foundation.pow(adam.beta2, step))
            l2 = adam.decoupledWeightDecay ? 0 : adam.weightDecay
        }
    }

    /// The fused CPU update of one parameter, or nil when the tensors do not qualify. The kernel keeps raw
    /// pointers into the tensors' storage: the caller keeps the tensors alive until it has run, and nothing in
    /// between resizes them (in-place operations keep a contiguous CPU tensor's storage where it is).
    private func fusedKernel(_ parameter: Tensor, _ gradient: Tensor, _ m: Tensor, _ v: Tensor,
                             _ update: Update) -> FusedAdamKernel? {
        let tensors = [parameter, gradient, m, v]
        guard tensors.allSatisfy({ $0.device == .cpu && $0.dtype == .float32 && $0.isContiguous }) else {
            return nil
        }
        let pointers = tensors.compactMap { tensor in
            try? tensor.withUnsafeMutableBytes { $0.baseAddress?.assumingMemoryBound(to: Float.self) }
        }
        guard pointers.count == 4 else { return nil }
        return FusedAdamKernel(
            p: pointers[0], g: pointers[1], m: pointers[2], v: pointers[3], count: parameter.count,
            beta1: Float(beta1), beta2: Float(beta2), eps: Float(eps), stepSize: Float(update.stepSize),
            inverseSqrtCorrection2: Float(1 / update.sqrtCorrection2), l2: Float(update.l2))
    }

    public func stateDict() -> [String: Tensor] { state.flattened() }

    public func load(stateDict: [String: Tensor]) throws {
        state = try .restoring(stateDict, parameters: parameters,
                               layout: ["exp_avg": .likeParameter, "exp_avg_sq": .likeParameter, "step": .stepCount])
    }
}

/// One Adam update over raw float32 buffers, in chunks that may run on several cores.
private struct FusedAdamKernel: @unchecked Sendable {
    // The buffers belong to tensors kept alive by the caller; chunks touch disjoint ranges.
    let p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
    let count: Int
    let beta1: Float, beta2: Float, eps: Float, stepSize: Float, inverseSqrtCorrection2: Float, l2: Float

    private static let chunk = 1 << 16

    /// Runs every chunk of every kernel, spread over the cores when `parallel`.
    static func run(_ kernels: [FusedAdamKernel], parallel: Bool) {
        let work = kernels.indices.flatMap { kernel in
            (0..<(kernels[kernel].count + chunk - 1) / chunk).map { (kernel: kernel, chunk: $0) }
        }
        if parallel && work.count > 1 {
            DispatchQueue.concurrentPerform(iterations: work.count) { index in
                kernels[work[index].kernel].update(chunk: work[index].chunk)
            }
        } else {
            for item in work { kernels[item.kernel].update(chunk: item.chunk) }
        }
    }

    private func update(chunk index: Int) {
        let start = index * Self.chunk
        let end = Swift.min(count, start + Self.chunk)
        // With eps = 0, flushed moments would turn a long-dead parameter's update into 0/0.
        if eps > 0 {
            withDenormalsFlushedToZero { update(from: start, to: end) }
        } else {
            update(from: start, to: end)
        }
    }

    private func update(from start: Int, to end: Int) {
        // Eight lanes at a time with explicit SIMD (the buffers may alias as far as the compiler knows, which
        // would keep it from vectorising a scalar loop), then the remainder one by one. The loops index raw
        // pointers with counters checked against bounds computed here, and step with a wrapping add: at -O Swift
        // keeps overflow checks, and `i + 8 <= end` put one on every eight elements.
        typealias Lanes = SIMD8<Float>
        let (b1, b2, c1, c2) = (Lanes(repeating: beta1), Lanes(repeating: beta2),
                                Lanes(repeating: 1 - beta1), Lanes(repeating: 1 - beta2))
        let (size, scale, epsilon, decay) = (Lanes(repeating: stepSize), Lanes(repeating: inverseSqrtCorrection2),
                                             Lanes(repeating: eps), Lanes(repeating: l2))
        let vectorEnd = start + (end - start) / 8 * 8
        var i = start
        while i < vectorEnd {
            let pi = UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self)
            let grad = UnsafeRawPointer(g + i).loadUnaligned(as: Lanes.self) + decay * pi
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: Lanes.self) + c1 * grad
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: Lanes.self) + c2 * grad * grad
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: Lanes.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: Lanes.self)
            let updated = pi - size * mi / (vi.vectorSquareRoot() * scale + epsilon)
            UnsafeMutableRawPointer(p + i).storeBytes(of: updated, as: Lanes.self)
            i &+= 8
        }
        while i < end {
            let grad = g[i] + l2 * p[i]
            let mi = beta1 * m[i] + (1 - beta1) * grad
            let vi = beta2 * v[i] + (1 - beta2) * grad * grad
            m[i] = mi
            v[i] = vi
            p[i] -= stepSize * mi / (vi.squareRoot() * inverseSqrtCorrection2 + eps)
            i &+= 1
        }
    }
}

/// Runs `body` with the SSE unit treating denormal inputs and results as zero (MXCSR's DAZ and FTZ bits),
/// then restores the previous environment (dropping any exception flags `body` raised). Moments of gradients
/// that stay zero (a border pixel's weights, a dead unit) decay by β each step into the denormal range, where
/// every operation is many times slower: without this the update took 4.3 instead of 3.4 ms per step after
/// 1 500 steps of the paper's MLP. The values lost are below 1.2e-38, far under any effect on the parameters.
/// Other architectures run `body` unchanged.
private func withDenormalsFlushedToZero(_ body: () -> Void) {
    #if arch(x86_64)
    var saved = fenv_t()
    fegetenv(&saved)
    var flushing = saved
    let flushToZero: UInt32 = 1 << 15, denormalsAreZero: UInt32 = 1 << 6
    flushing.__mxcsr |= flushToZero | denormalsAreZero
    fesetenv(&flushing)
    defer { fesetenv(&saved) }
    #endif
    body()
}

extension SIMD8 where Scalar == Float {
    /// The lane-wise square root in vector instructions on x86-64. The standard library's `squareRoot()` is
    /// compiled lane by lane (a scalar `sqrtss` each, with a call to libm's `sqrtf` for `errno` on negative
    /// lanes), which made the Adam update compute-bound: 10 ms instead of 4 ms on one core for the paper's
    /// 5.65 M parameters. Both round correctly, so the results are identical. Other architectures use
    /// `squareRoot()`.
    @inline(__always) func vectorSquareRoot() -> Self {
        #if arch(x86_64)
        Self(lowHalf: _mm_sqrt_ps(lowHalf), highHalf: _mm_sqrt_ps(highHalf))
        #else
        squareRoot()
        #endif
    }
}
