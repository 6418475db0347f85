import Torch

/// Builds the objective (with its networks) that a configuration describes.
public enum ModelFactory {
    /// A freshly initialised model for images of `imageShape` [C, H, W]; initialisation draws from libtorch's
    /// generator, so seed it first for reproducible weights.
    /// - Throws: a sentence when the architecture cannot handle the images (ResNets need 32 or 64 px squares).
    public static func make(_ configuration: TrainingConfiguration, imageShape: [Int]) throws -> any Objective {
        let (encoder, decoder) = try backbones(configuration, imageShape: imageShape)
        let (z, likelihood) = (configuration.latents, configuration.likelihood)
        switch configuration.method {
        case .simvae:
            let weighting: SimVAEWeighting = configuration.objective == .exact
                ? .exact : .authors(logVariance: likelihood.logVariance)
            return SimVAE(encoder: encoder, decoder: decoder, latents: z, imageShape: imageShape,
                          likelihood: likelihood, clusterVariance: configuration.clusterVariance,
                          centrePrior: configuration.centrePrior, weighting: weighting)
        case .vae, .betaVAE:
            return VAE(encoder: encoder, decoder: decoder, latents: z, imageShape: imageShape, likelihood: likelihood,
                       beta: configuration.beta)
        case .crVAE:
            return CRVAE(encoder: encoder, decoder: decoder, latents: z, imageShape: imageShape,
                         likelihood: likelihood, consistencyWeight: configuration.consistencyWeight)
        }
    }

    private static func backbones(_ configuration: TrainingConfiguration,
                                  imageShape: [Int]) throws -> (any Layer, any Layer) {
        let z = configuration.latents
        switch configuration.architecture {
        case .mlp:
            let pixels = imageShape.reduce(1, *)
            return (MLP.paperEncoder(inputs: pixels, latents: z), MLP.paperDecoder(latents: z, outputs: pixels))
        case .resnet18:
            let (channels, side) = (imageShape[0], imageShape[1])
            guard imageShape[1] == imageShape[2], side == 32 || side == 64 else {
                throw ConfigurationError("the resnet18 architecture needs 32×32 or 64×64 images, "
                    + "these are \(imageShape[1])×\(imageShape[2])")
            }
            return (ResNetEncoder(channels: channels, imageSize: side, head: 2 * z),
                    ResNetDecoder(latents: z, channels: channels, imageSize: side))
        }
    }
}
