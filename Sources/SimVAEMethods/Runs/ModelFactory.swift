import Torch

/// Builds the objective (with its networks) that a configuration describes.
///
/// Every method uses the same backbone for its architecture. Generative encoders output 2·zdim (posterior
/// mean and log-variance); discriminative encoders output the zdim-wide representation directly (the MLP
/// inputs → 2000 → 500 → 500 → zdim; ResNet-18's 512-d pooled features through a linear layer to zdim), so
/// every method is compared at the same representation size. Projection heads sit on top of that.
public enum ModelFactory {
    /// A freshly initialised model for images of `imageShape` [C, H, W]; initialisation draws from libtorch's
    /// generator, so seed it first for reproducible weights.
    /// - Throws: a sentence when the architecture cannot handle the images (ResNets need 32 or 64 px squares).
    public static func make(_ configuration: TrainingConfiguration, imageShape: [Int]) throws -> any Objective {
        let c = configuration
        let (z, likelihood) = (c.latents, c.likelihood)
        let encoder = try encoderBuilder(c, imageShape: imageShape)
        let head = { ProjectionHead(inputs: z, widths: c.projectionWidths) }
        switch c.method {
        case .simvae:
            let weighting: SimVAEWeighting = c.objective == .exact
                ? .exact : .authors(logVariance: likelihood.logVariance)
            return SimVAE(encoder: encoder(2 * z), decoder: try decoder(c, imageShape: imageShape), latents: z,
                          imageShape: imageShape, likelihood: likelihood, clusterVariance: c.clusterVariance,
                          centrePrior: c.centrePrior, weighting: weighting)
        case .vae, .betaVAE:
            return VAE(encoder: encoder(2 * z), decoder: try decoder(c, imageShape: imageShape), latents: z,
                       imageShape: imageShape, likelihood: likelihood, beta: c.beta)
        case .crVAE:
            return CRVAE(encoder: encoder(2 * z), decoder: try decoder(c, imageShape: imageShape), latents: z,
                         imageShape: imageShape, likelihood: likelihood, consistencyWeight: c.consistencyWeight)
        case .simclr: return SimCLR(encoder: encoder(z), head: head(), temperature: c.temperature)
        case .moco:
            return MoCo(makeEncoder: { encoder(z) }, representationWidth: z, headWidths: c.projectionWidths,
                        queueSize: c.queueSize, momentum: c.mocoMomentum, temperature: c.temperature)
        case .vicreg: return VICReg(encoder: encoder(z), head: head(), weights: c.vicregWeights)
        case .random: return RandomEncoder(encoder: encoder(z))
        }
    }

    /// The decoder of the configuration's architecture, from zdim latents to one image's likelihood outputs:
    /// the paper's MLP decoder, or the mirrored ResNet-18 decoder.
    /// - Throws: a sentence when the architecture cannot make images of `imageShape`.
    public static func decoder(_ configuration: TrainingConfiguration, imageShape: [Int]) throws -> any Layer {
        let z = configuration.latents
        switch configuration.architecture {
        case .mlp: return MLP.paperDecoder(latents: z, outputs: imageShape.reduce(1, *))
        case .resnet18:
            return ResNetDecoder(latents: z, channels: imageShape[0], imageSize: try resNetSide(imageShape))
        }
    }

    /// Checks that the architecture suits `imageShape` and returns a builder of encoders with a given output
    /// width: the MLP inputs → 2000 → 500 → 500 → outputs, or ResNet-18 with a linear head to outputs.
    private static func encoderBuilder(_ configuration: TrainingConfiguration,
                                       imageShape: [Int]) throws -> (Int) -> any Layer {
        switch configuration.architecture {
        case .mlp:
            let pixels = imageShape.reduce(1, *)
            return { MLP(widths: [pixels, 2000, 500, 500, $0]) }
        case .resnet18:
            let side = try resNetSide(imageShape)
            return { ResNetEncoder(channels: imageShape[0], imageSize: side, head: $0) }
        }
    }

    /// The side of square 32 or 64 px images, the sizes the ResNets handle.
    private static func resNetSide(_ imageShape: [Int]) throws -> Int {
        guard imageShape[1] == imageShape[2], imageShape[1] == 32 || imageShape[1] == 64 else {
            throw ConfigurationError("the resnet18 architecture needs 32×32 or 64×64 images, "
                + "these are \(imageShape[1])×\(imageShape[2])")
        }
        return imageShape[1]
    }
}
