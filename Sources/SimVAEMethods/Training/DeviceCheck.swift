import Foundation
import SimVAEData
import Torch

/// The checks a GPU needs before it trains: tensors survive a round trip to the device; one training step of
/// every registered method gives on the device the loss and gradients it gives on the CPU (from the same
/// initialisation, batch and noise); and one step in the reduced precision stays close to the float32 step with
/// the parameters and the optimizer state left in float32. Each step uses the trainer's own step
/// (`TrainingStep`) on a small batch of the synthetic colour shapes with the method's default networks.
///
/// With the CPU as the device the parity is exact by construction; the reduced-precision check is then bf16.
public struct DeviceCheck {
    /// One check's outcome.
    public struct Outcome: Sendable, Equatable {
        /// `moves`, `parity/<method>` or `<precision>/<method>`.
        public let name: String
        /// Whether the figures are within the check's tolerance.
        public let passed: Bool
        /// The figures measured (relative differences), by name.
        public let figures: [String: Double]
        /// What was compared, or why it failed.
        public let detail: String
    }

    /// The device checked and its precision (fp32 is checked against bf16 instead, on any device).
    public let compute: ComputeSettings
    /// The methods stepped (default: every registered one).
    public var methods: [Method]
    /// The largest relative difference of loss and gradients allowed between the CPU and the device in float32.
    public var parityTolerance = 1e-3
    /// The largest relative difference of the loss allowed between float32 and the reduced precision.
    public var precisionLossTolerance = 5e-2
    /// The largest relative difference (L2) of the gradients allowed between float32 and the reduced precision.
    /// bfloat16 keeps 8 significant bits: on the CPU one step of the VAE family moved by 1-2 %, of the
    /// discriminative methods by 12-26 % (their normalised embeddings amplify rounding); a wrong gradient is off
    /// by 100 % or more.
    public var precisionGradientTolerance = 0.5

    /// Checks for `compute` over `methods`.
    public init(compute: ComputeSettings, methods: [Method] = Method.registered) {
        self.compute = compute
        self.methods = methods
    }

    /// The precision compared with float32: the one in use, or bf16 when that is fp32.
    public var reducedPrecision: Precision { compute.precision == .fp32 ? .bf16 : compute.precision }

    /// Runs every check, reporting each outcome to `progress` as it is known.
    /// - Throws: a data error when the synthetic images cannot be made.
    public func run(progress: (Outcome) -> Void = { _ in }) throws -> [Outcome] {
        var outcomes = [moves()]
        progress(outcomes[0])
        let images = try DatasetLoader.load(.synthetic, split: .train, dataDirectory: nil, limit: 32)
        for method in methods {
            for outcome in check(method, images: images) {
                outcomes.append(outcome)
                progress(outcome)
            }
        }
        return outcomes
    }

    /// float32 values and uint8 pixels copied to the device and back are unchanged.
    func moves() -> Outcome {
        do {
            let difference = try Tensor.checking {
                let values = Tensor.randn([257, 31])
                let pixels = (Tensor.rand([3, 17, 19]) * 255).to(.uint8)
                let floatError = (values.to(compute.device).to(.cpu) - values).abs().max().item
                let byteError = (pixels.to(compute.device).to(.cpu).float - pixels.float).abs().max().item
                return Swift.max(floatError, byteError)
            }
            return Outcome(name: "moves", passed: difference == 0, figures: ["max_difference": difference],
                           detail: "float32 and uint8 tensors to \(compute.device) and back")
        } catch {
            return Outcome(name: "moves", passed: false, figures: [:], detail: "\(error)")
        }
    }

    /// The parity and precision checks of one method.
    private func check(_ method: Method, images: ImageSet) -> [Outcome] {
        let parityName = "parity/\(method.name)", precisionName = "\(reducedPrecision.rawValue)/\(method.name)"
        do {
            let configuration = Self.configuration(for: method)
            let reference = try step(configuration, images: images, on: ComputeSettings.cpu)
            let device = try step(configuration, images: images, on: ComputeSettings(device: compute.device))
            let reduced = try step(configuration, images: images,
                                   on: ComputeSettings(device: compute.device, precision: reducedPrecision))
            let parity = device.differences(from: reference)
            let precision = reduced.differences(from: device)
            return [
                Outcome(name: parityName,
                        passed: parity.loss <= parityTolerance && parity.gradients <= parityTolerance,
                        figures: ["loss": parity.loss, "gradients": parity.gradients],
                        detail: "one fp32 step on \(compute.device) against the CPU"),
                Outcome(name: precisionName,
                        passed: precision.loss <= precisionLossTolerance
                            && precision.gradients <= precisionGradientTolerance && reduced.stateIsFloat32,
                        figures: ["loss": precision.loss, "gradients": precision.gradients],
                        detail: "one \(reducedPrecision.rawValue) step against fp32 on \(compute.device)"
                            + (reduced.stateIsFloat32 ? "" : "; parameters or optimizer state left float32")),
            ]
        } catch {
            return [parityName, precisionName].map {
                Outcome(name: $0, passed: false, figures: [:], detail: "\(error)")
            }
        }
    }

    /// The method's defaults on the synthetic shapes, with a batch of 8 sets of as few views as it compares.
    static func configuration(for method: Method) -> TrainingConfiguration {
        var configuration = TrainingConfiguration.defaults(method: method, dataset: .synthetic)
        configuration.views = method.defaultViews > 1 ? Swift.max(2, method.minimumViews) : method.defaultViews
        configuration.batchSize = 8 * configuration.views
        configuration.seed = 11
        return configuration
    }

    /// One training step from the seeded initialisation on the first batch, on `compute`.
    private func step(_ configuration: TrainingConfiguration, images: ImageSet,
                      on compute: ComputeSettings) throws -> StepRecord {
        try Tensor.checking {
            Runtime.seed(configuration.seed)
            let model = try ModelFactory.make(configuration, imageShape: [images.channels, images.height,
                                                                          images.width])
            model.move(to: compute.device)
            model.train()
            let optimizer = OptimizerFactory.make(configuration, parameters: model.parameters())
            let pipeline = configuration.augmentation.pipeline(for: configuration.dataset, side: images.height)
            let loader = try MultiViewLoader(images: images, setsPerBatch: configuration.setsPerBatch,
                                             views: configuration.views, pipeline: pipeline,
                                             seed: configuration.seed, device: compute.device)
            var batches = loader.batches(epoch: 1)
            guard let batch = batches.next() else { throw ConfigurationError("the check's data make no batch") }
            Runtime.seed(configuration.seed &+ 1)
            let output = try TrainingStep.run(model, optimizer: optimizer, images: batch.images, views: batch.views,
                                              compute: compute,
                                              lossScaler: compute.precision == .fp16 ? LossScaler() : nil)
            let gradients = model.parameters().compactMap(\.grad).map { $0.flattened().to(.cpu) }
            let state = model.parameters() + Array(optimizer.stateDict().values)
            return StepRecord(loss: output.loss.item,
                              gradients: gradients.isEmpty ? Tensor(zeros: [0]) : Tensor.cat(gradients),
                              stateIsFloat32: state.allSatisfy { $0.dtype == .float32 })
        }
    }
}

/// What one checked step produced, on the CPU.
private struct StepRecord {
    let loss: Double
    /// Every parameter's gradient, flattened and concatenated.
    let gradients: Tensor
    /// Whether the parameters and the optimizer state are float32 after the step.
    let stateIsFloat32: Bool

    /// The relative differences of the loss and of the gradients (in L2 norm) from `reference`.
    func differences(from reference: StepRecord) -> (loss: Double, gradients: Double) {
        let loss = Swift.abs(self.loss - reference.loss) / Swift.max(1, Swift.abs(reference.loss))
        guard gradients.shape == reference.gradients.shape else { return (loss, .infinity) }
        let scale = reference.gradients.squared().sum().item.squareRoot()
        let difference = (gradients - reference.gradients).squared().sum().item.squareRoot()
        return (loss, scale > 0 ? difference / scale : difference)
    }
}
