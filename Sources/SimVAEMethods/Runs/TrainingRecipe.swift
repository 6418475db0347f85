import Torch

/// A named set of optimisation settings (`simvae train --recipe`): learning rate, schedule, warm-up, epochs and,
/// for some, views and batch size. Options given explicitly on the command line win over the recipe's.
public enum TrainingRecipe: String, Codable, CaseIterable, Sendable {
    /// The authors' settings, the paper's: Adam at 8e-5 (ε 1e-4), a constant rate, 12 epochs, 128 images a step.
    case authors
    /// For the generative methods with the MLP networks (MNIST, Fashion-MNIST): a higher rate with a short
    /// warm-up and cosine decay over fewer epochs, and for SimVAE a tighter σ² of p(z|y), found by the search
    /// recorded in docs/RESULTS.md.
    case fast
    /// SimCLR's usual recipe: LARS at 0.3 × batch size / 256 (momentum 0.9, weight decay 1e-6), linear warm-up
    /// over the first tenth of the epochs, then cosine decay.
    case simclr

    /// The fast recipe's settings (the search's choice, on Fashion-MNIST's held-out training images).
    enum Fast {
        static let learningRate = 1e-3, warmupEpochs = 0.25, epochs = 8, views = 2, batchSize = 128
        /// SimVAE's `--cluster-variance`.
        static let clusterVariance = 0.05
        /// How many times faster than float32 a CPU's bfloat16 matrix product must be for the recipe to train
        /// in bf16 there.
        static let minimumBFloat16Speedup = 1.5
    }

    /// The precision the recipe trains in on `device` when `--precision` is not given, or nil for the device's
    /// default. `fast` trains in bf16 on a CPU whose bfloat16 matrix product is at least
    /// `Fast.minimumBFloat16Speedup` times faster than its float32 one, as `bfloat16Speedup` measures it (called
    /// only then): the MLP step is matrix products, and on Fashion-MNIST the held-out kNN of bf16 training kept
    /// up with float32's epoch by epoch (docs/RESULTS.md).
    public func precision(on device: Device, bfloat16Speedup: () -> Double) -> Precision? {
        guard self == .fast, device == .cpu else { return nil }
        return bfloat16Speedup() >= Fast.minimumBFloat16Speedup ? .bf16 : nil
    }

    /// Sets the recipe's values in `configuration`, except those of the options in `given` (set by flags), and
    /// records the recipe. LARS's rate is scaled with the final batch size, so set the batch size first. The
    /// method's own hyperparameters that a recipe sets are overridden by their flags, applied afterwards.
    public func apply(to configuration: inout TrainingConfiguration, keeping given: Set<ConfigurationField>) {
        func set<Value>(_ field: ConfigurationField, _ path: WritableKeyPath<TrainingConfiguration, Value>,
                        _ value: Value) {
            if !given.contains(field) { configuration[keyPath: path] = value }
        }
        configuration.recipe = self
        switch self {
        case .authors:
            break  // The defaults are the authors' settings.
        case .fast:
            set(.optimizer, \.optimizer, .adam)
            set(.epochs, \.epochs, Fast.epochs)
            set(.batchSize, \.batchSize, Fast.batchSize)
            if configuration.method.defaultViews > 1 { set(.views, \.views, Fast.views) }
            set(.learningRate, \.learningRate, Fast.learningRate)
            set(.schedule, \.schedule, .cosine)
            set(.warmupEpochs, \.warmupEpochs, Fast.warmupEpochs)
            if configuration.method == .simvae { configuration[SimVAE.clusterVariance] = Fast.clusterVariance }
        case .simclr:
            set(.optimizer, \.optimizer, .lars)
            set(.learningRate, \.learningRate, TrainingConfiguration.larsLearningRate(batchSize: configuration.batchSize))
            set(.schedule, \.schedule, .cosine)
            set(.warmupEpochs, \.warmupEpochs, Double(configuration.epochs) / 10)
        }
    }

    /// Why the recipe does not suit `configuration`, or nil when it does.
    func problem(with configuration: TrainingConfiguration) -> String? {
        guard self == .fast else { return nil }
        let tuned = "fast is tuned for the generative methods with the mlp backbone (MNIST, Fashion-MNIST)"
        if !configuration.method.isGenerative {
            return "\(tuned); \(configuration.method.name) is not generative: use authors or simclr"
        }
        if configuration.architecture != .mlp {
            return "\(tuned), not the \(configuration.architecture.rawValue) backbone: use authors"
        }
        return nil
    }
}
