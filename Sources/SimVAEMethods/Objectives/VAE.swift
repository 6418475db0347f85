import SimVAEData
import Torch

/// The VAE (Kingma & Welling 2014) and, with β ≠ 1, the β-VAE (Higgins et al. 2017): the negative ELBO with
/// p(z) = N(0, I), each view of a set treated as an independent image:
///
///     loss = mean over the B·J images of [−log p(x | z) + β·KL(q(z | x) ‖ N(0, I))],
///
/// with one reparameterised draw z ~ q(z | x) per image. The mean runs over images (not sets), so the loss
/// does not grow with J. Terms: `recon` and `kl`, the same means; loss = recon + β·kl.
public final class VAE: VariationalAutoencoder, GenerativeObjective {
    /// The weight β of the KL term (1 for the VAE).
    public let beta: Double

    /// A VAE over `encoder` (images → [N, 2·latents]) and `decoder` (latents → one image's worth of
    /// likelihood outputs); `beta` weights the KL term.
    public init(encoder: any Layer, decoder: any Layer, latents: Int, imageShape: [Int], likelihood: Likelihood,
                beta: Double = 1) {
        self.beta = beta
        super.init(encoder: encoder, decoder: decoder, latents: latents, imageShape: imageShape,
                   likelihood: likelihood)
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        let (_, reconstruction, kl) = negativeEvidenceTerms(images)
        let (meanReconstruction, meanKL) = (reconstruction.mean(), kl.mean())
        return ObjectiveOutput(loss: meanReconstruction + meanKL * beta,
                               terms: ["recon": meanReconstruction.detached(), "kl": meanKL.detached()])
    }
}
