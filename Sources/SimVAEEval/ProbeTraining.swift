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

/// A trained probe: the optional input standardisation followed by the head.
struct TrainedProbe {
    let standardization: Standardization?
    let head: Sequential

    func callAsFunction(_ inputs: Tensor) -> Tensor { head(standardization.map { $0(inputs) } ?? inputs) }
}

/// The mini-batch Adam loop shared by every probe.
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

    /// Trains a head from `inputs` [N, D] (float32) to `outputs` values per sample.
    ///
    /// Training runs on one intra-op thread: its mini-batches are far too small to gain from more, and measured
    /// on 2 cores, two threads made the same probe 2–3 times slower with identical results.
    ///
    /// - Throws: `EvaluationError.tooFewSamples` when early stopping leaves no training or validation sample.
    func train(inputs: Tensor, targets: Tensor, outputs: Int) throws -> TrainedProbe {
        try Runtime.withThreadCount(1) { try trainOnCurrentThreads(inputs: inputs, targets: targets, outputs: outputs) }
    }

    private func trainOnCurrentThreads(inputs: Tensor, targets: Tensor, outputs: Int) throws -> TrainedProbe {
        Runtime.seed(settings.seed)
        let standardization = settings.standardizesInputs ? Standardization(inputs) : nil
        // Standardised once here rather than in every mini-batch; the returned probe standardises new inputs.
        let scaled = standardization.map { $0(inputs) } ?? inputs
        let samples = inputs.size(0)
        var fitting = (inputs: scaled, targets: targets)
        var validation: (inputs: Tensor, targets: Tensor)?
        if let fraction = settings.validationFraction {
            let held = Int((Double(samples) * fraction).rounded())
            guard held >= 1, held < samples else {
                throw EvaluationError.tooFewSamples(what: "Early stopping with a validation fraction of \(fraction)",
                                                    samples: samples, needed: Int((1 / fraction).rounded(.up)) + 1)
            }
            let order = Tensor.randperm(samples)
            let heldOut = order[0..<held], kept = order[held..<samples]
            validation = (scaled.indexSelect(dim: 0, heldOut), targets.indexSelect(dim: 0, heldOut))
            fitting = (scaled.indexSelect(dim: 0, kept), targets.indexSelect(dim: 0, kept))
        }
        let width = inputs.size(1)
        let head = switch settings.head {
        case .linear: Sequential(Linear(width, outputs))
        case .mlp: Sequential(Linear(width, width), Activation(.relu), Linear(width, outputs))
        }
        let parameters = head.parameters()
        let optimizer = Adam(parameters, learningRate: settings.learningRate)
        let count = fitting.inputs.size(0)
        var best: (loss: Double, parameters: [Tensor])?
        var epochsSinceBest = 0
        for _ in 0..<settings.epochs(forSamples: count) {
            let order = Tensor.randperm(count)
            for start in stride(from: 0, to: count, by: settings.batchSize) {
                let batch = order[start..<Swift.min(start + settings.batchSize, count)]
                let value = loss(head(fitting.inputs.indexSelect(dim: 0, batch)),
                                 fitting.targets.indexSelect(dim: 0, batch))
                optimizer.zeroGrad()
                value.backward()
                optimizer.step()
            }
            guard let validation else { continue }
            let validationLoss = withNoGrad { loss(head(validation.inputs), validation.targets).item }
            if best.map({ validationLoss < $0.loss }) ?? true {
                best = (validationLoss, withNoGrad { parameters.map { $0.detached().clone() } })
                epochsSinceBest = 0
            } else {
                epochsSinceBest += 1
                if epochsSinceBest >= settings.patience { break }
            }
        }
        if let best {
            withNoGrad { for (parameter, saved) in zip(parameters, best.parameters) { parameter.copy_(saved) } }
        }
        return TrainedProbe(standardization: standardization, head: head)
    }
}
