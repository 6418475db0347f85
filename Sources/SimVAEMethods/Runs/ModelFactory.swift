import Torch

/// Builds the objective (with its networks) that a configuration describes.
public enum ModelFactory {
    /// A freshly initialised model for images of `imageShape` [C, H, W]; initialisation draws from libtorch's
    /// generator, so seed it first for reproducible weights.
    public static func make(_ configuration: TrainingConfiguration, imageShape: [Int]) throws -> any Objective {
        let pixels = imageShape.reduce(1, *)
        let z = configuration.latents
        let (encoder, decoder): (any Layer, any Layer)
        switch configuration.architecture {
        case .mlp:
            encoder = MLP.paperEncoder(inputs: pixels, latents: z)
            decoder = MLP.paperDecoder(latents: z, outputs: pixels)
        case .resnet18:
            throw ConfigurationError("the resnet18 architecture is not available in this build yet")
        }
        switch configuration.method {
        case .simvae:
            let weighting: SimVAEWeighting = configuration.objective == .exact
                ? .exact : .authors(logVariance: configuration.likelihood.logVariance)
            return SimVAE(encoder: encoder, decoder: decoder, latents: z, imageShape: imageShape,
                          likelihood: configuration.likelihood, clusterVariance: configuration.clusterVariance,
                          centrePrior: configuration.centrePrior, weighting: weighting)
        case .vae, .betaVAE, .crVAE:
            throw ConfigurationError("the \(configuration.method.rawValue) method is not available in this build yet")
        }
    }
}
