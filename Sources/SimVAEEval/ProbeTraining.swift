import Torch

/// Column-wise shift and scale to zero mean and unit variance, from the statistics of one (training) matrix.
struct Standardization {
    let mean: Tensor, scale: Tensor

    init(_ values: Tensor) {
        mean = values.mean(dim: 0, keepDims: true)
        let deviation = values.standardDeviation(dims: [0], correction: 0, keepDims: true)
        // A constant column is only shifted.
        scale = Tensor.where(deviation .> 1e-12, deviation, deviation.onesLike())
    }

    func callAsFunction(_ values: Tensor) -> Tensor { (values - mean) / scale }
    func inverse(_ values: Tensor) -> Tensor { values * scale + mean }
}

/// A trained probe: the optional input standardisation followed by the head, and the Adam steps it took.
struct TrainedProbe {
    let standardization: Standardization?
    let head: Sequential
    /// Adam steps trained before the convergence criterion (or the step cap) stopped training.
    let steps: Int

    func callAsFunction(_ inputs: Tensor) -> Tensor { head(standardization.map { $0(inputs) } ?? inputs) }
}

/// The mini-batch Adam loop shared by every probe, with the convergence criterion of `ProbeSettings`.
struct ProbeTraining {
    /// The loss that matches the probe's targets.
    enum Loss {
        /// Cross-entropy of logits against int64 class indices [N].
        case softmax
        /// Binary cross-entropy of one logit per attribute against 0/1 float targets [N, A].
        case sigmoid
        /// Mean squared error against float targets [N, K].
        case squaredError

        func callAsFunction(_ outputs: Tensor, _ targets: Tensor) -> Tensor {
            switch self {
            case .softmax: Functional.crossEntropy(outputs, targets: targets)
            case .sigmoid: Functional.binaryCrossEntropyWithLogits(outputs, targets: targets)
            case .squaredError: Functional.mse(outputs, targets)
            }
        }
    }

    let settings: ProbeSettings
    let loss: Loss

    /// Trains a head from `inputs` [N, D] (float32) to `outputs` values per sample, holding out part of them to
    /// decide when to stop (see `ProbeSettings`).
    ///
    /// Training runs on one intra-op thread: its mini-batches are far too small to gain from more, and measured
    /// on 2 cores, two threads made the same probe 2–3 times slower with identical results.
    ///
    /// `progress` receives the steps trained at every held-out evaluation.
    ///
    /// - Throws: `EvaluationError.tooFewSamples` when holding out leaves no training or no held-out sample.
    func train(inputs: Tensor, targets: Tensor, outputs: Int, progress: (_ steps: Int) -> Void) throws -> TrainedProbe {
        try Runtime.withThreadCount(1) {
            try trainOnCurrentThreads(inputs: inputs, targets: targets, outputs: outputs, progress: progress)
        }
    }

    private func trainOnCurrentThreads(inputs: Tensor, targets: Tensor, outputs: Int,
                                       progress: (_ steps: Int) -> Void) throws -> TrainedProbe {
        Runtime.seed(settings.seed)
        let standardization = settings.standardizesInputs ? Standardization(inputs) : nil
        // Standardised once here rather than in every mini-batch; the returned probe standardises new inputs.
        let (fitting, heldOut) = try split(standardization.map { $0(inputs) } ?? inputs, targets)
        let width = inputs.size(1)
        let head = switch settings.head {
        case .linear: Sequential(Linear(width, outputs))
        case .mlp: Sequential(Linear(width, width), Activation(.relu), Linear(width, outputs))
        }
        let parameters = head.parameters()
        let optimizer = Adam(parameters, learningRate: settings.learningRate)
        let count = fitting.inputs.size(0)
        var criterion = Convergence(settings)
        var best: [Tensor] = []
        var steps = 0
        training: while true {
            let order = Tensor.randperm(count)
            for start in stride(from: 0, to: count, by: settings.batchSize) {
                let batch = order[start..<Swift.min(start + settings.batchSize, count)]
                let value = loss(head(fitting.inputs.indexSelect(dim: 0, batch)),
                                 fitting.targets.indexSelect(dim: 0, batch))
                optimizer.zeroGrad()
                value.backward()
                optimizer.step()
                steps += 1
                guard steps % settings.evaluationInterval == 0 || steps == settings.maximumSteps else { continue }
                progress(steps)
                let heldOutLoss = withNoGrad { loss(head(heldOut.inputs), heldOut.targets).item }
                if criterion.record(heldOutLoss) {
                    best = withNoGrad { parameters.map { $0.detached().clone() } }
                }
                if criterion.hasConverged || steps == settings.maximumSteps { break training }
            }
        }
        if !best.isEmpty {
            withNoGrad { for (parameter, saved) in zip(parameters, best) { parameter.copy_(saved) } }
        }
        return TrainedProbe(standardization: standardization, head: head, steps: steps)
    }

    /// The seeded held-out part (`validationFraction` of the samples) and the rest, which the probe fits.
    private func split(_ inputs: Tensor, _ targets: Tensor) throws
        -> (fitting: (inputs: Tensor, targets: Tensor), heldOut: (inputs: Tensor, targets: Tensor)) {
        let samples = inputs.size(0), fraction = settings.validationFraction
        let held = Swift.max(1, Int((Double(samples) * fraction).rounded()))
        guard held < samples else {
            throw EvaluationError.tooFewSamples(what: "A probe holding out \(fraction) of its training split",
                                                samples: samples, needed: 2)
        }
        let order = Tensor.randperm(samples)
        let heldOut = order[0..<held], kept = order[held..<samples]
        return ((inputs.indexSelect(dim: 0, kept), targets.indexSelect(dim: 0, kept)),
                (inputs.indexSelect(dim: 0, heldOut), targets.indexSelect(dim: 0, heldOut)))
    }
}

/// The stopping rule of `ProbeSettings` over successive held-out losses: a loss improves when it is below the
/// last improving loss by the relative `tolerance`; training has converged after `patience` losses in a row
/// that do not improve.
struct Convergence {
    let tolerance: Double, patience: Int
    private(set) var lowest = Double.infinity
    private var lastImprovement = Double.infinity
    private var withoutImprovement = 0

    init(_ settings: ProbeSettings) { (tolerance, patience) = (settings.tolerance, settings.patience) }

    /// Whether `patience` losses in a row have not improved.
    var hasConverged: Bool { withoutImprovement >= patience }

    /// Records the next held-out loss.
    ///
    /// - Returns: whether it is the lowest so far, so that its parameters are the ones to restore.
    mutating func record(_ loss: Double) -> Bool {
        if loss < lastImprovement * (1 - tolerance) {
            (lastImprovement, withoutImprovement) = (loss, 0)
        } else {
            withoutImprovement += 1
        }
        guard loss < lowest else { return false }
        lowest = loss
        return true
    }
}
