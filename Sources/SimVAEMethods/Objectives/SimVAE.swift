import Foundation
import SimVAEData
import Torch

/// The prior p(y) over the cluster centre ψ of each set, integrated out of p(z¹…z^J | y).
public enum CentrePrior: String, Sendable, Codable, CaseIterable {
    /// ψ ~ N(0, I): related latents are pinched together and their mean is pulled towards 0.
    case gaussian
    /// A flat prior on ψ: only the spread of related latents around their mean is penalised.
    case uniform
}

/// The relative weights of ELBO_SSL's terms and how the batch is reduced.
public struct SimVAEWeighting: Sendable, Equatable, Codable {
    /// Multiplies −log p(x | z).
    public var reconstruction: Double
    /// Multiplies the entropy H(q(z | x)).
    public var entropy: Double
    /// Multiplies log p(z | y).
    public var prior: Double
    /// Whether the loss sums over the sets of a batch (the authors' code) rather than averaging.
    public var sumsOverBatch: Bool
    /// Whether the reconstruction term is the authors' un-normalised error divided by σ_x² (true) or the
    /// exact negative log-likelihood (false).
    public var authorsReconstruction: Bool
    /// Coefficient of ‖z̄‖² in the Gaussian centre prior; nil for the exact marginal J / (2(σ² + J)).
    public var centreCoefficient: Double?

    /// The exact ELBO_SSL: every term with weight 1, averaged over the sets of the batch.
    public static let exact = SimVAEWeighting(reconstruction: 1, entropy: 1, prior: 1, sumsOverBatch: false,
                                              authorsReconstruction: false, centreCoefficient: nil)

    /// What the authors' released code optimises: the reconstruction error divided by exp(log σ_x²)
    /// (≈ 100× for log σ_x² = −4.6, also for Bernoulli pixels), an entropy of 0.5·Σ 2π·log σ²
    /// (2π times the exact ½·Σ log σ²), a centre prior −½‖z̄‖², and a sum over the batch.
    public static func authors(logVariance: Double) -> SimVAEWeighting {
        SimVAEWeighting(reconstruction: Foundation.exp(-logVariance), entropy: 2 * Double.pi, prior: 1,
                        sumsOverBatch: true, authorsReconstruction: true, centreCoefficient: 0.5)
    }
}

/// SimVAE: a VAE fitted to the SSL model, whose J related views share a content variable y. Its loss is
/// −ELBO_SSL = Σ_j [−log p(x^j | z^j) − H(q(z^j | x^j))] − log p(z¹…z^J | y), with the cluster centre
/// integrated out of p(z | y) = N(ψ, σ² I):
///   log p(z | y) = −1/(2σ²) Σ_j ‖z^j − z̄‖² − c‖z̄‖² + const.
public final class SimVAE: VariationalAutoencoder, GenerativeObjective {
    /// σ² of p(z | y) (the authors' `var_z_y`).
    public let clusterVariance: Double
    /// The prior over each set's cluster centre.
    public let centrePrior: CentrePrior
    /// The relative weights of the loss terms and the batch reduction.
    public let weighting: SimVAEWeighting

    /// A SimVAE over `encoder` (images → [N, 2·latents]) and `decoder` (latents → one image's worth of
    /// likelihood outputs), with p(z | y) = N(ψ, `clusterVariance`·I).
    public init(encoder: any Layer, decoder: any Layer, latents: Int, imageShape: [Int], likelihood: Likelihood,
                clusterVariance: Double = 0.15, centrePrior: CentrePrior = .gaussian,
                weighting: SimVAEWeighting = .exact) {
        self.clusterVariance = clusterVariance
        self.centrePrior = centrePrior
        self.weighting = weighting
        super.init(encoder: encoder, decoder: decoder, latents: latents, imageShape: imageShape,
                   likelihood: likelihood)
    }

    /// Draws a cluster centre from p(y) (N(0, I) for the Gaussian prior; the uniform prior has no proper
    /// density, so N(0, I) stands in) and z ~ N(centre, σ² I), then decodes.
    public override func sample(count: Int) -> Tensor {
        let centres = Tensor.randn([count, latents]).to(device)
        let z = centres + Tensor.randn([count, latents]).to(device) * Foundation.sqrt(clusterVariance)
        return likelihood.mean(of: decode(z))
    }

    /// log p(z¹…z^J | y) for latents [B, J, D]: shape [B].
    public func logPrior(_ z: Tensor) -> Tensor {
        let (sets, views, dims) = (z.size(0), Double(z.size(1)), Double(z.size(2)))
        let centre = z.mean(dim: 1, keepDims: true)
        let spread = (z - centre).squared().sum(dims: [1, 2])
        var value = spread * (-0.5 / clusterVariance)
        let variance = clusterVariance
        switch centrePrior {
        case .uniform:
            // ∫ Π_j N(z^j; ψ, σ²I) dψ = (2πσ²)^{−D(J−1)/2} J^{−D/2} exp(−Σ‖z^j − z̄‖² / 2σ²).
            let logNormaliser: Double = 0.5 * dims * ((views - 1) * Foundation.log(2 * Double.pi * variance)
                + Foundation.log(views))
            value = value - logNormaliser
        case .gaussian:
            // With ψ ~ N(0, I) the views are jointly Gaussian with covariance σ²I + 11ᵀ per dimension.
            let coefficient = weighting.centreCoefficient ?? views / (2 * (variance + views))
            let centreNorm = centre.squeezed(dim: 1).squared().sum(dim: 1)
            let logDet: Double = (views - 1) * Foundation.log(variance) + Foundation.log(variance + views)
            let logNormaliser: Double = 0.5 * dims * (views * Foundation.log(2 * Double.pi) + logDet)
            value = value - centreNorm * coefficient - logNormaliser
        }
        precondition(value.size(0) == sets)
        return value
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        let count = images.size(0)
        let sets = count / views
        let q = posterior(images)
        let z = q.sample()
        let decoded = decode(z)
        let reconstruction = weighting.authorsReconstruction
            ? likelihood.unnormalisedError(decoded: decoded, targets: images)
            : likelihood.negativeLogLikelihood(decoded: decoded, targets: images)
        let entropy = q.entropy()
        let prior = logPrior(z.reshaped([sets, views, latents]))
        let perSet = (reconstruction * weighting.reconstruction - entropy * weighting.entropy)
            .reshaped([sets, views]).sum(dim: 1) - prior * weighting.prior
        // A rank of a group holds 1/N of the batch and its gradients are averaged over the N ranks: a sum over the
        // batch counts N times its share to come out as one process's sum.
        let scale = weighting.sumsOverBatch ? Double(ProcessGroup.current?.worldSize ?? 1) : 1 / Double(sets)
        return ObjectiveOutput(
            loss: perSet.sum() * scale,
            terms: [
                "recon": reconstruction.sum().detached() / Double(sets),
                "entropy": entropy.sum().detached() / Double(sets),
                "prior": prior.mean().detached(),
            ])
    }
}
