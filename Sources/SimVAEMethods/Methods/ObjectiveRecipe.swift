import SimVAEData
import Torch

/// What a method builds its objective from: the run's configuration, its images' shape and a backbone (the
/// configuration's architecture, or one of the caller's).
///
/// Every method uses the same backbone: generative encoders output 2·zdim (posterior mean and log-variance),
/// discriminative ones the zdim-wide representation (heads sit on top), so all are compared at one size.
public struct ObjectiveRecipe: Sendable {
    /// The run's resolved options.
    public let configuration: TrainingConfiguration
    /// One image's [C, H, W].
    public let imageShape: [Int]
    private let makeEncoder: @Sendable (Int) -> any Layer
    private let makeDecoder: @Sendable () -> any Layer

    /// A recipe for images of `imageShape` with the backbone of the configuration's architecture.
    /// - Throws: a sentence when the architecture cannot handle the images (ResNets need 32 or 64 px squares).
    init(configuration: TrainingConfiguration, imageShape: [Int]) throws {
        try Backbone.checkImages(imageShape, for: configuration.architecture)
        let (architecture, latents) = (configuration.architecture, configuration.latents)
        self.init(configuration: configuration, imageShape: imageShape,
                  encoder: { Backbone.encoder(architecture, imageShape: imageShape, outputs: $0) },
                  decoder: { Backbone.decoder(architecture, imageShape: imageShape, latents: latents) })
    }

    /// A recipe with a backbone of the caller's: `encoder` builds an encoder with the given number of outputs,
    /// `decoder` a decoder from zdim latents to one image's likelihood outputs.
    public init(configuration: TrainingConfiguration, imageShape: [Int],
                encoder: @escaping @Sendable (Int) -> any Layer, decoder: @escaping @Sendable () -> any Layer) {
        (self.configuration, self.imageShape) = (configuration, imageShape)
        (makeEncoder, makeDecoder) = (encoder, decoder)
    }

    /// The representation size zdim.
    public var latents: Int { configuration.latents }
    /// The decoder's observation model.
    public var likelihood: Likelihood { configuration.likelihood }

    /// The run's value of one of the method's hyperparameters.
    public subscript<Value>(_ parameter: Hyperparameter<Value>) -> Value { configuration.options[parameter] }

    /// A freshly initialised encoder with `outputs` outputs: the MLP inputs → 2000 → 500 → 500 → outputs, the
    /// authors' ResNet or ResNet-18, each with a linear head to outputs.
    public func encoder(outputs: Int) -> any Layer { makeEncoder(outputs) }

    /// A freshly initialised projection head (or expander) on the zdim-wide representation, with the widths the
    /// run gives `widths`.
    public func projectionHead(_ widths: Hyperparameter<[Int]>) -> ProjectionHead {
        ProjectionHead(inputs: latents, widths: self[widths])
    }

    /// A freshly initialised decoder from zdim latents to one image's likelihood outputs: the paper's MLP decoder,
    /// the authors' transposed-convolution decoder or the mirrored ResNet-18 decoder.
    public func decoder() -> any Layer { makeDecoder() }
}
