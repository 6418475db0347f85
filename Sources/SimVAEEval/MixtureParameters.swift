import Foundation
import Torch

/// The weights, means and covariances of R mixtures of K components each (one per restart), with the
/// coefficients [F, R·K] that turn a chunk's features into every log πₖ + log N(x | μₖ, Σₖ) with one product.
struct MixtureParameters {
    let restarts: Int, components: Int
    /// [R, K]
    let logWeights: Tensor
    /// [R, K, D]
    let means: Tensor
    /// [R, K, D, D] for full, [R, K, D] for diagonal mixtures (regularisation included).
    let covariances: Tensor
    let isFull: Bool
    /// [F, R·K]: per component, the weights of the second-order features, of x, and of 1.
    private let coefficients: Tensor

    /// The M-step: parameters from the moments [R·K, F] that `MixtureData.moments` accumulated.
    ///
    /// - Throws: `EvaluationError.numericalFailure` when a full covariance is not positive definite.
    init(moments: Tensor, restarts: Int, data: MixtureData, regularisation: Double) throws {
        let columns = moments.size(0), dimension = data.dimension, width = data.secondOrderWidth
        let secondOrder = moments.sliced(dim: 1, 0..<width)
        let sums = moments.sliced(dim: 1, width..<(width + dimension))
        // scikit-learn adds 10 · machine epsilon so that an empty component does not divide by zero.
        let sizes = moments.selected(dim: 1, index: width + dimension) + 10 * Double.ulpOfOne
        let means = sums / sizes.unsqueezed(dim: 1)
        let logWeights = (sizes / Double(data.count)).log()
        let logNormaliser = Double(dimension) * Foundation.log(2 * Double.pi)
        let coefficients: Tensor, covariances: Tensor
        if data.isFull {
            let secondMoments = secondOrder.indexSelect(dim: 1, data.entryPair)
                .reshaped([columns, dimension, dimension]) / sizes.reshaped([-1, 1, 1])
            let outer = means.unsqueezed(dim: 2) * means.unsqueezed(dim: 1)
            covariances = secondMoments - outer + Tensor.eye(dimension, dtype: .float64) * regularisation
            let precisions = try Self.precisions(covariances)
            let precisionMeans = precisions.matrix.matmul(means.unsqueezed(dim: 2)).squeezed(dim: 2)
            let quadratic = precisions.matrix.reshaped([columns, -1]).indexSelect(dim: 1, data.pairIndex)
                * data.pairMultiplicity * -0.5
            let constant = logWeights - 0.5 * (precisions.logDeterminants + (means * precisionMeans).sum(dim: 1)
                + logNormaliser)
            coefficients = Tensor.cat([quadratic, precisionMeans, constant.unsqueezed(dim: 1)], dim: 1)
        } else {
            let variances = (secondOrder / sizes.unsqueezed(dim: 1) - means.squared()).clamped(min: 0)
                + regularisation
            let precisions = variances.reciprocal()
            let constant = logWeights - 0.5 * (variances.log().sum(dim: 1) + (means.squared() * precisions).sum(dim: 1)
                + logNormaliser)
            covariances = variances
            coefficients = Tensor.cat([precisions * -0.5, means * precisions, constant.unsqueezed(dim: 1)], dim: 1)
        }
        let components = columns / restarts
        self.init(restarts: restarts, components: components,
                  logWeights: logWeights.reshaped([restarts, components]),
                  means: means.reshaped([restarts, components, dimension]),
                  covariances: covariances.reshaped([restarts, components] + Array(covariances.shape.dropFirst())),
                  isFull: data.isFull, coefficients: coefficients.T)
    }

    private init(restarts: Int, components: Int, logWeights: Tensor, means: Tensor, covariances: Tensor,
                 isFull: Bool, coefficients: Tensor) {
        self.restarts = restarts
        self.components = components
        self.logWeights = logWeights
        self.means = means
        self.covariances = covariances
        self.isFull = isFull
        self.coefficients = coefficients
    }

    /// The precision matrices and log-determinants of covariances [C, D, D], from their Cholesky factors.
    private static func precisions(_ covariances: Tensor) throws -> (matrix: Tensor, logDeterminants: Tensor) {
        let factors: Tensor
        do {
            factors = try Tensor.checking { covariances.cholesky() }
        } catch {
            throw EvaluationError.numericalFailure(
                what: "Fitting the Gaussian mixture",
                reason: "a component's covariance is not positive definite (\(error)); use fewer components or "
                    + "a larger regularisation.")
        }
        let identity = Tensor.eye(covariances.size(1), dtype: .float64).expanded(to: covariances.shape)
        let inverseFactors = factors.solveTriangular(identity, upper: false)
        return (inverseFactors.transposed(1, 2).matmul(inverseFactors), 2 * factors.diagonal().log().sum(dim: 1))
    }

    /// The mixtures of the given restarts only, in that order.
    func selecting(_ kept: [Int]) -> MixtureParameters {
        let index = Tensor(kept.map(Int64.init))
        let columns = coefficients.reshaped([coefficients.size(0), restarts, components]).indexSelect(dim: 1, index)
        return MixtureParameters(restarts: kept.count, components: components,
                                 logWeights: logWeights.indexSelect(dim: 0, index),
                                 means: means.indexSelect(dim: 0, index),
                                 covariances: covariances.indexSelect(dim: 0, index), isFull: isFull,
                                 coefficients: columns.reshaped([coefficients.size(0), -1]))
    }

    /// log πₖ + log N(x | μₖ, Σₖ) for every point, restart and component [rows, R, K], from the points'
    /// features [rows, F] (`MixtureData.Chunk.makeFeatures()`).
    func weightedLogDensities(_ features: Tensor) -> Tensor {
        features.matmul(coefficients).reshaped([features.size(0), restarts, components])
    }
}
