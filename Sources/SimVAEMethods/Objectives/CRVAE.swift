import SimVAEData
import Torch

/// The consistency-regularised VAE (Sinha & Dieng 2021). For an image x and a transformation t(x) of it, it
/// maximises ELBO(x) + ELBO(t(x)) − λ·KL(q(z | t(x)) ‖ q(z | x)), both ELBOs with p(z) = N(0, I).
///
/// In a set-major batch, view 0 of each set is x and view 1 is t(x); further views are ignored, and sets of
/// a single view are refused (`Method.crVAE` asks for 2; configuration validation checks it). The loss
/// is averaged over the B pairs:
///
///     loss = mean over pairs of [Σ_{v ∈ {x, t(x)}} (−log p(v | z_v) + KL(q(z | v) ‖ N(0, I)))
///                                + λ·KL(q(z | t(x)) ‖ q(z | x))].
///
/// As in the paper, the consistency KL is differentiated through both posteriors (no stop-gradient on
/// q(z | x)). Terms, each averaged over pairs: `recon` and `kl` (summed over the pair's two views) and
/// `consistency`; loss = recon + kl + λ·consistency.
public final class CRVAE: VariationalAutoencoder, GenerativeObjective {
    /// λ, the weight of the consistency term.
    public let consistencyWeight: Double

    /// A CR-VAE over `encoder` (images → [N, 2·latents]) and `decoder` (latents → one image's worth of
    /// likelihood outputs); `consistencyWeight` is λ.
    public init(encoder: any Layer, decoder: any Layer, latents: Int, imageShape: [Int], likelihood: Likelihood,
                consistencyWeight: Double = 1) {
        self.consistencyWeight = consistencyWeight
        super.init(encoder: encoder, decoder: decoder, latents: latents, imageShape: imageShape,
                   likelihood: likelihood)
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        precondition(views >= 2, "CR-VAE compares two views of each set and needs at least 2 views per set, not \(views)")
        let pairs = images.size(0) / views
        // [x₀, t(x₀), x₁, t(x₁), …]: the first two views of each set, still set-major.
        let pairImages = images.reshaped([pairs, views, -1]).narrowed(dim: 1, start: 0, length: 2)
            .reshaped([2 * pairs] + Array(images.shape.dropFirst()))
        let (q, reconstruction, kl) = negativeEvidenceTerms(pairImages)
        let consistency = q.view(1, of: 2).kl(to: q.view(0, of: 2)).mean()
        let pairReconstruction = reconstruction.sum() / Double(pairs)
        let pairKL = kl.sum() / Double(pairs)
        return ObjectiveOutput(
            loss: pairReconstruction + pairKL + consistency * consistencyWeight,
            terms: [
                "recon": pairReconstruction.detached(),
                "kl": pairKL.detached(),
                "consistency": consistency.detached(),
            ])
    }
}
