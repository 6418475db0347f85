import SimVAEData
import Torch

/// What the VAE-family objectives (SimVAE, VAE/β-VAE, CR-VAE) share: a Gaussian encoder q(z | x) whose
/// output [N, 2·latents] holds the posterior mean and log-variance, a decoder p(x | z) with its likelihood,
/// and the representation, reconstruction and sampling derived from them. Subclasses add the loss.
///
/// The networks are stored as `encoder` and `decoder`, so every subclass's state dict reads `encoder.…`,
/// `decoder.…`.
public class VariationalAutoencoder: Module {
    /// Maps images [N, C, H, W] to [N, 2·latents]: posterior means, then log-variances.
    public let encoder: any Layer
    /// Maps latents [N, latents] to the likelihood's raw output (logits or pre-sigmoid means).
    public let decoder: any Layer
    /// The dimension of z.
    public let latents: Int
    /// Shape of one image, [C, H, W], for reshaping decoder outputs.
    public let imageShape: [Int]
    /// The observation model p(x | z).
    public let likelihood: Likelihood

    init(encoder: any Layer, decoder: any Layer, latents: Int, imageShape: [Int], likelihood: Likelihood) {
        self.encoder = encoder
        self.decoder = decoder
        self.latents = latents
        self.imageShape = imageShape
        self.likelihood = likelihood
    }

    /// q(z | x) of each image, in float32 whatever the precision of the encoder's forward pass (so that
    /// entropies, KL terms and priors are reduced in float32).
    public func posterior(_ images: Tensor) -> GaussianPosterior {
        GaussianPosterior(encoderOutput: encoder(images).float)
    }

    /// The posterior mean μ(x): shape [N, latents].
    public func representation(_ images: Tensor) -> Tensor { posterior(images).mean }

    /// Decoder output for latents, shaped like images (logits or pre-sigmoid means), in float32 so that the
    /// likelihood is reduced in float32.
    public func decode(_ latents: Tensor) -> Tensor {
        decoder(latents).float.reshaped([latents.size(0)] + imageShape)
    }

    /// The device of the model's parameters, where prior draws (made by the CPU generator) are sent.
    var device: Device { parameters().first?.device ?? .cpu }

    /// The likelihood's mean decoded from each image's posterior mean: values in [0, 1], shaped like `images`.
    public func reconstruct(_ images: Tensor) -> Tensor { likelihood.mean(of: decode(representation(images))) }

    /// `count` images decoded from z ~ N(0, I), mapped through the likelihood's mean.
    public func sample(count: Int) -> Tensor {
        likelihood.mean(of: decode(Tensor.randn([count, latents]).to(device)))
    }

    /// The two parts of each image's −ELBO under p(z) = N(0, I): −log p(x | z) for one reparameterised draw
    /// z ~ q(z | x), and the closed-form KL(q(z | x) ‖ N(0, I)); both of shape [N], with the posterior.
    func negativeEvidenceTerms(_ images: Tensor)
        -> (posterior: GaussianPosterior, reconstruction: Tensor, kl: Tensor) {
        let q = posterior(images)
        let reconstruction = likelihood.negativeLogLikelihood(decoded: decode(q.sample()), targets: images)
        return (q, reconstruction, q.klToStandardNormal())
    }
}
