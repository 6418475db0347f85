import Torch

/// The weights of VICReg's three terms (Bardes et al. 2022 use 25 / 25 / 1).
public struct VICRegWeights: Sendable, Equatable, Codable {
    /// λ, the weight of the invariance term.
    public var invariance: Double
    /// μ, the weight of the variance term.
    public var variance: Double
    /// ν, the weight of the covariance term.
    public var covariance: Double

    /// The paper's 25 / 25 / 1.
    public static let paper = VICRegWeights(invariance: 25, variance: 25, covariance: 1)

    /// Weights λ, μ and ν of the invariance, variance and covariance terms.
    public init(invariance: Double, variance: Double, covariance: Double) {
        self.invariance = invariance
        self.variance = variance
        self.covariance = covariance
    }
}

/// VICReg's loss terms (Bardes et al. 2022) for two batches of embeddings [N, D], as in the official code.
public enum VICRegLoss {
    /// ε added to the variance before the square root, as in the official code.
    public static let epsilon = 1e-4

    /// Mean squared difference between the embeddings of the two views: Σ (a − b)² / (N·D).
    public static func invariance(_ a: Tensor, _ b: Tensor) -> Tensor { Functional.mse(a, b) }

    /// The hinge on each dimension's standard deviation, averaged over dimensions and the two views:
    /// ½·mean_d relu(1 − √(Var(a_d) + ε)) + ½·(the same for b), with the unbiased variance. A collapsed batch
    /// (all rows equal) has the largest value, 1 − √ε.
    public static func variance(_ a: Tensor, _ b: Tensor) -> Tensor {
        func hinge(_ x: Tensor) -> Tensor { (1 - (x.variance(dims: [0]) + epsilon).sqrt()).relu().mean() }
        return (hinge(a) + hinge(b)) * 0.5
    }

    /// The squared off-diagonal entries of each view's covariance matrix (unbiased), summed and divided by D,
    /// added over the two views.
    public static func covariance(_ a: Tensor, _ b: Tensor) -> Tensor {
        func offDiagonal(_ x: Tensor) -> Tensor {
            let (count, dims) = (x.size(0), x.size(1))
            let centred = x - x.mean(dim: 0, keepDims: true)
            let covariance = centred.T.matmul(centred) / Double(count - 1)
            return (covariance.squared().sum() - covariance.diagonal().squared().sum()) / Double(dims)
        }
        return offDiagonal(a) + offDiagonal(b)
    }
}

/// VICReg (Bardes et al. 2022): the embeddings of two views of each sample (encoder, then an expander head)
/// are pulled together by the invariance term while the variance and covariance terms keep every dimension
/// informative and decorrelated. Views 0 and 1 of each set are the pair. Terms: `invariance`, `variance`,
/// `covariance`; loss = λ·invariance + μ·variance + ν·covariance.
public final class VICReg: SiameseObjective, Objective {
    /// λ, μ and ν.
    public let weights: VICRegWeights

    /// VICReg over `encoder` (images → representations) and the expander `head`.
    public init(encoder: any Layer, head: ProjectionHead, weights: VICRegWeights = .paper) {
        self.weights = weights
        super.init(encoder: encoder, head: head)
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        // Across ranks the variance and covariance are the whole group's batch's, as in one process.
        let (local, other) = projectedPair(images: images, views: views)
        let (a, b) = (local.gatheredAcrossRanks(), other.gatheredAcrossRanks())
        let invariance = VICRegLoss.invariance(a, b)
        let variance = VICRegLoss.variance(a, b)
        let covariance = VICRegLoss.covariance(a, b)
        let loss = invariance * weights.invariance + variance * weights.variance + covariance * weights.covariance
        return ObjectiveOutput(loss: loss, terms: ["invariance": invariance.detached(),
                                                   "variance": variance.detached(),
                                                   "covariance": covariance.detached()])
    }
}
