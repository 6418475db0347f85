import SimVAEData
import Torch

/// Builds the objective (with its networks) that a configuration describes, through its method's description.
public enum ModelFactory {
    /// A freshly initialised model for images of `imageShape` [C, H, W]; initialisation draws from libtorch's
    /// generator, so seed it first for reproducible weights.
    /// - Throws: a sentence when the architecture cannot handle the images (ResNets need 32 or 64 px squares).
    public static func make(_ configuration: TrainingConfiguration, imageShape: [Int]) throws -> any Objective {
        try configuration.method.makeObjective(ObjectiveRecipe(configuration: configuration, imageShape: imageShape))
    }

    /// The decoder of the configuration's architecture (see `ObjectiveRecipe.decoder()`).
    /// - Throws: a sentence when the architecture cannot make images of `imageShape`.
    public static func decoder(_ configuration: TrainingConfiguration, imageShape: [Int]) throws -> any Layer {
        try ObjectiveRecipe(configuration: configuration, imageShape: imageShape).decoder()
    }
}

/// The networks of each architecture.
enum Backbone {
    static func encoder(_ architecture: Architecture, imageShape: [Int], outputs: Int) -> any Layer {
        switch architecture {
        case .mlp: MLP(widths: [imageShape.reduce(1, *), 2000, 500, 500, outputs])
        case .authors: AuthorsEncoder(channels: imageShape[0], imageSize: imageShape[1], outputs: outputs)
        case .resnet18: ResNetEncoder(channels: imageShape[0], imageSize: imageShape[1], head: outputs)
        }
    }

    static func decoder(_ architecture: Architecture, imageShape: [Int], latents: Int) -> any Layer {
        switch architecture {
        case .mlp: MLP.paperDecoder(latents: latents, outputs: imageShape.reduce(1, *))
        case .authors: AuthorsDecoder(latents: latents, channels: imageShape[0], imageSize: imageShape[1])
        case .resnet18: ResNetDecoder(latents: latents, channels: imageShape[0], imageSize: imageShape[1])
        }
    }

    /// Checks that the convolutional architectures get square 32 or 64 px images, the sizes they handle.
    static func checkImages(_ imageShape: [Int], for architecture: Architecture) throws {
        guard architecture != .mlp else { return }
        guard imageShape.count == 3, imageShape[1] == imageShape[2], imageShape[1] == 32 || imageShape[1] == 64 else {
            throw ConfigurationError("the \(architecture.rawValue) backbone needs 32×32 or 64×64 images, "
                + "these are \(imageShape.dropFirst().map(String.init).joined(separator: "×"))")
        }
    }
}
