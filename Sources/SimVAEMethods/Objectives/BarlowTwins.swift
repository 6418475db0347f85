import Torch

/// Barlow Twins' loss terms (Zbontar et al. 2021) for the embeddings of two views of the same N samples, [N, D]
/// each. Each embedding dimension is standardised over the batch, per view, as the reference code's
/// `BatchNorm1d(affine: false)` does: (z − mean) / √(Var + ε) with the biased variance and ε = 10⁻⁵. The
/// cross-correlation matrix is then C = âᵀb̂ / N, D × D.
public enum BarlowTwinsLoss {
    /// ε added to each dimension's batch variance before the square root.
    public static let epsilon = 1e-5

    /// `embeddings` [N, D] with every column standardised over the batch.
    public static func standardized(_ embeddings: Tensor) -> Tensor {
        let mean = embeddings.mean(dim: 0, keepDims: true)
        let variance = embeddings.variance(dims: [0], correction: 0, keepDims: true)
        return (embeddings - mean) / (variance + epsilon).sqrt()
    }

    /// C between two already standardised batches [N, D]: C_ij = Σ_n â_ni·b̂_nj / N.
    public static func crossCorrelation(_ a: Tensor, _ b: Tensor) -> Tensor { a.T.matmul(b) / Double(a.size(0)) }

    /// The invariance term Σ_i (1 − C_ii)², which pulls the two views' dimensions into perfect correlation.
    public static func invariance(_ correlation: Tensor) -> Tensor { (1 - correlation.diagonal()).squared().sum() }

    /// The redundancy-reduction term Σ_{i≠j} C_ij², which decorrelates different dimensions.
    public static func redundancy(_ correlation: Tensor) -> Tensor {
        correlation.squared().sum() - correlation.diagonal().squared().sum()
    }
}

/// Barlow Twins (Zbontar et al. 2021): the embeddings of the views of each sample (encoder, then a projector
/// `head`) are made perfectly correlated dimension by dimension while different dimensions are decorrelated,
/// through the cross-correlation matrix C of two views' batch-standardised embeddings:
///
///     loss = Σ_i (1 − C_ii)² + λ·Σ_{i≠j} C_ij².
///
/// All J views of each set go through the networks in one pass (batch norm sees all B·J images); with J > 2
/// views both terms are averaged over the J(J − 1)/2 unordered pairs of views (the loss of a pair does not
/// depend on its order, since swapping the views transposes C). Terms: `invariance` and `redundancy`, the
/// unweighted sums; loss = invariance + λ·redundancy.
public final class BarlowTwins: SiameseObjective, Objective {
    /// The paper's λ, 5·10⁻³, tuned for its 8192-wide projector; for much narrower projectors 1/D is a common
    /// choice, which callers pass as `redundancyWeight`.
    public static let paperRedundancyWeight = 5e-3

    /// λ, the weight of the redundancy-reduction term.
    public let redundancyWeight: Double

    /// Barlow Twins over `encoder` (images → representations) and the projector `head`.
    public init(encoder: any Layer, head: ProjectionHead, redundancyWeight: Double = paperRedundancyWeight) {
        precondition(redundancyWeight >= 0, "Barlow Twins needs a non-negative λ, not \(redundancyWeight)")
        self.redundancyWeight = redundancyWeight
        super.init(encoder: encoder, head: head)
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        // Across ranks the embeddings are standardised and correlated over the whole group's batch.
        let embeddings = Self.splitViews(head(encoder(Self.viewMajor(images, views: views))).float, views: views)
            .map { BarlowTwinsLoss.standardized($0.gatheredAcrossRanks()) }
        var invariance = [Tensor](), redundancy = [Tensor]()
        for first in 0..<views {
            for second in (first + 1)..<views {
                let correlation = BarlowTwinsLoss.crossCorrelation(embeddings[first], embeddings[second])
                invariance.append(BarlowTwinsLoss.invariance(correlation))
                redundancy.append(BarlowTwinsLoss.redundancy(correlation))
            }
        }
        let meanInvariance = Tensor.stack(invariance).mean(), meanRedundancy = Tensor.stack(redundancy).mean()
        let loss = meanInvariance + meanRedundancy * redundancyWeight
        return ObjectiveOutput(loss: loss, terms: ["invariance": meanInvariance.detached(),
                                                   "redundancy": meanRedundancy.detached()])
    }
}

extension BarlowTwins {
    /// The projector: three layers as wide as VICReg's expander.
    public static let projectionWidths = Hyperparameter.projectionWidths(default: [2048, 2048, 2048],
                                                                         head: "projector")
    /// λ of the redundancy-reduction term (the paper's 5·10⁻³).
    public static let redundancyWeight = Hyperparameter<Double>(
        "redundancyWeight", default: paperRedundancyWeight, help: "λ, the weight of the redundancy-reduction term",
        check: .nonNegative)
}

extension Method {
    /// Barlow Twins: the cross-correlation of two views' standardised embeddings is driven to the identity.
    public static let barlowTwins = Method(
        name: "barlow-twins", displayName: "Barlow Twins", summary: "redundancy reduction of the views' embeddings",
        family: .discriminative, defaultViews: 2, minimumViews: 2, comparesSets: true,
        hyperparameters: [.init(BarlowTwins.projectionWidths), .init(BarlowTwins.redundancyWeight)]
    ) { recipe in
        BarlowTwins(encoder: recipe.encoder(outputs: recipe.latents),
                    head: recipe.projectionHead(BarlowTwins.projectionWidths),
                    redundancyWeight: recipe[BarlowTwins.redundancyWeight])
    }
}
