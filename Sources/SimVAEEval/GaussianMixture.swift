import Foundation
import SimVAEData
import Torch

/// Gaussian-mixture clustering fitted by expectation–maximisation on float64 tensors, following scikit-learn's
/// `GaussianMixture` (PAPER.md §6: as many components as classes, scored by Hungarian-matched accuracy, NMI, ARI).
///
/// Each restart seeds centres with greedy k-means++ (drawn from a `SplitMix64` stream of `seed`), refines them
/// with Lloyd's k-means, turns the hard assignment into initial weights, means and covariances, then runs EM
/// until the mean log-likelihood per sample changes by less than `tolerance` or `maxIterations` is reached.
/// `regularisation` is added to every covariance diagonal (scikit-learn's `reg_covar`). The restart with the
/// highest final mean log-likelihood is kept.
///
/// Each EM step is one pass over the data in chunks: the Mahalanobis terms come from matrix products of
/// second-order features (xᵢxⱼ for i ≤ j) with the precision matrices, and the M-step accumulates the
/// responsibility-weighted moments from the same chunk; points are centred first so the moments are accurate.
public struct GaussianMixture: Sendable {
    /// The shape of each component's covariance.
    public enum CovarianceType: String, Sendable, CaseIterable {
        /// A full covariance matrix per component.
        case full
        /// A diagonal covariance per component.
        case diagonal
    }

    /// The number of mixture components.
    public var components: Int
    /// Full (default) or diagonal covariances.
    public var covarianceType: CovarianceType
    /// Independent initialisations; the best final likelihood is kept (default 10; scikit-learn's `n_init`).
    public var restarts: Int
    /// The most EM iterations per restart (default 100, as scikit-learn).
    public var maxIterations: Int
    /// Convergence threshold on the change of the mean log-likelihood per sample (default 1e-3, as scikit-learn).
    public var tolerance: Double
    /// Added to covariance diagonals (default 1e-6, scikit-learn's `reg_covar`).
    public var regularisation: Double
    /// The most Lloyd iterations of the k-means initialisation (default 100).
    public var kMeansIterations: Int
    /// Seed of the initialisations.
    public var seed: UInt64

    /// Creates a mixture model with scikit-learn's defaults, except 10 restarts instead of 1.
    public init(components: Int, covarianceType: CovarianceType = .full, restarts: Int = 10,
                maxIterations: Int = 100, tolerance: Double = 1e-3, regularisation: Double = 1e-6,
                kMeansIterations: Int = 100, seed: UInt64 = 0) {
        self.components = components
        self.covarianceType = covarianceType
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.regularisation = regularisation
        self.kMeansIterations = kMeansIterations
        self.seed = seed
    }

    /// Fits the mixture to `points` [N, D].
    ///
    /// - Parameter progress: called with a short line after each restart.
    /// - Throws: `EvaluationError` for invalid settings, a non-matrix or non-finite input, fewer points than
    ///   components, or covariances that are not positive definite even after regularisation.
    public func fit(_ points: Tensor, progress: (String) -> Void = { _ in }) throws -> GaussianMixtureFit {
        try validateSettings()
        try RepresentationChecks.representations(points, "clustered")
        guard points.size(0) >= components else {
            throw EvaluationError.tooFewSamples(what: "A mixture of \(components) components",
                                                samples: points.size(0), needed: components)
        }
        return try withNoGrad {
            let data = MixtureData(points, full: covarianceType == .full)
            var random = SplitMix64(seed: seed)
            var best: GaussianMixtureFit?
            for restart in 0..<restarts {
                let centres = KMeans.centres(of: data.centred, count: components,
                                                 iterations: kMeansIterations, random: &random)
                let fit = try runEM(data, initial: centres.assignments)
                if best.map({ fit.lowerBound > $0.lowerBound }) ?? true { best = fit }
                progress(String(format: "GMM restart %d/%d: %d EM iterations, mean log-likelihood %.4f",
                                restart + 1, restarts, fit.logLikelihoods.count, fit.lowerBound))
            }
            guard let best else { preconditionFailure("restarts were validated to be at least 1") }
            return best
        }
    }

    private func validateSettings() throws {
        let checks: [(String, Bool, String, String)] = [
            ("components", components >= 1, "\(components)", "at least 1"),
            ("restarts", restarts >= 1, "\(restarts)", "at least 1"),
            ("maxIterations", maxIterations >= 1, "\(maxIterations)", "at least 1"),
            ("kMeansIterations", kMeansIterations >= 1, "\(kMeansIterations)", "at least 1"),
            ("tolerance", tolerance >= 0, "\(tolerance)", "zero or positive"),
            ("regularisation", regularisation > 0, "\(regularisation)", "positive"),
        ]
        for (name, valid, value, expected) in checks where !valid {
            throw EvaluationError.invalidSetting(name: name, value: value, expected: expected)
        }
    }

    /// EM from a hard initial assignment [N] (int64).
    private func runEM(_ data: MixtureData, initial assignments: Tensor) throws -> GaussianMixtureFit {
        var moments = Moments(data: data, components: components)
        for chunk in data.chunks {
            let oneHot = assignments[chunk.rows].oneHot(classes: components).to(.float64)
            moments.add(responsibilities: oneHot, chunk: chunk)
        }
        var parameters = try moments.parameters(data: data, regularisation: regularisation)
        var logLikelihoods: [Double] = []
        var converged = false
        for _ in 0..<maxIterations {
            var next = Moments(data: data, components: components)
            var total = 0.0
            for chunk in data.chunks {
                let weighted = parameters.weightedLogDensities(chunk)
                let normaliser = weighted.logSumExp(dims: [1], keepDims: true)
                total += normaliser.sum().item
                next.add(responsibilities: (weighted - normaliser).exp(), chunk: chunk)
            }
            let likelihood = total / Double(data.count)
            guard likelihood.isFinite else {
                throw EvaluationError.numericalFailure(what: "Fitting the Gaussian mixture",
                                                       reason: "the log-likelihood is not finite.")
            }
            let previous = logLikelihoods.last
            logLikelihoods.append(likelihood)
            parameters = try next.parameters(data: data, regularisation: regularisation)
            if let previous, Swift.abs(likelihood - previous) < tolerance {
                converged = true
                break
            }
        }
        return GaussianMixtureFit(parameters: parameters, offset: data.offset, logLikelihoods: logLikelihoods,
                                  converged: converged)
    }
}

/// A fitted Gaussian mixture: its parameters, the likelihood history of the kept restart, and prediction.
public struct GaussianMixtureFit {
    let parameters: MixtureParameters
    /// The mean of the fitted points, subtracted before any computation.
    let offset: Tensor
    /// The mean log-likelihood per sample at each EM iteration of the kept restart (before that iteration's
    /// M-step, as scikit-learn's lower bound); EM never lets it decrease.
    public let logLikelihoods: [Double]
    /// Whether the kept restart met the tolerance before `maxIterations`.
    public let converged: Bool

    /// The final mean log-likelihood per sample of the kept restart.
    public var lowerBound: Double { logLikelihoods.last ?? -.infinity }
    /// Mixing weights [K].
    public var weights: Tensor { parameters.logWeights.exp() }
    /// Component means [K, D].
    public var means: Tensor { parameters.means + offset }
    /// Covariances: [K, D, D] for full, [K, D] for diagonal mixtures (regularisation included).
    public var covariances: Tensor { parameters.covariances }

    /// The most probable component of each point [N] (int64).
    ///
    /// - Throws: `EvaluationError` when the points are not a finite matrix with the fitted width.
    public func predict(_ points: Tensor) throws -> Tensor {
        try RepresentationChecks.representations(points, "clustered")
        guard points.size(1) == parameters.means.size(1) else {
            throw EvaluationError.unexpectedShape(what: "clustered representations", shape: points.shape,
                                                  expected: "\(parameters.means.size(1)) features as in the fit")
        }
        return withNoGrad {
            let data = MixtureData(points.double - offset, full: parameters.isFull, centred: true)
            return Tensor.cat(data.chunks.map { parameters.weightedLogDensities($0).argmax(dim: 1) })
        }
    }
}

/// The points of a fit, centred, with the chunking and second-order features used by every EM step.
struct MixtureData {
    /// One block of rows and its second-order features (xᵢxⱼ for i ≤ j, or xᵢ² for diagonal mixtures).
    struct Chunk {
        let rows: Range<Int>
        let points: Tensor
        let secondOrder: Tensor
    }

    let centred: Tensor
    let offset: Tensor
    let isFull: Bool
    let count: Int, dimension: Int
    /// For the upper-triangle pairs (i ≤ j): index i·D + j into a flattened D × D matrix.
    let pairIndex: Tensor
    /// For each entry of a flattened D × D matrix: the pair holding it (the symmetric entries share one).
    let entryPair: Tensor
    /// 1 for diagonal pairs, 2 off the diagonal: xᵀAx = Σ_pairs multiplicity · A_ij x_i x_j.
    let pairMultiplicity: Tensor
    let chunks: [Chunk]

    /// - Parameters:
    ///   - points: [N, D] points.
    ///   - full: whether features for full covariances (all pairs) or diagonal ones (squares) are needed.
    ///   - centred: whether `points` were already centred (by a fit's offset).
    init(_ points: Tensor, full: Bool, centred isCentred: Bool = false) {
        let values = points.double
        offset = isCentred ? Tensor(zeros: [1, values.size(1)], dtype: .float64) : values.mean(dim: 0, keepDims: true)
        centred = isCentred ? values : values - offset
        isFull = full
        count = values.size(0)
        dimension = values.size(1)
        var first: [Int64] = [], second: [Int64] = [], entries: [Int64] = []
        var pairOfEntry = [Int64](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension {
            for j in i..<dimension {
                pairOfEntry[i * dimension + j] = Int64(first.count)
                pairOfEntry[j * dimension + i] = Int64(first.count)
                first.append(Int64(i))
                second.append(Int64(j))
                entries.append(Int64(i * dimension + j))
            }
        }
        let firstIndex = Tensor(first), secondIndex = Tensor(second)
        pairIndex = Tensor(entries)
        entryPair = Tensor(pairOfEntry)
        pairMultiplicity = Tensor.where(firstIndex .== secondIndex, Tensor(ones: [first.count], dtype: .float64),
                                        Tensor(full: [first.count], value: 2, dtype: .float64))
        // About 4 MB of second-order features per chunk keeps each chunk's two passes in cache.
        let rowsPerChunk = Swift.max(256, (1 << 19) / (full ? first.count : dimension))
        let centredPoints = centred, count = count
        chunks = stride(from: 0, to: count, by: rowsPerChunk).map { start in
            let rows = start..<Swift.min(start + rowsPerChunk, count)
            let block = centredPoints[rows]
            let features = full
                ? block.indexSelect(dim: 1, firstIndex) * block.indexSelect(dim: 1, secondIndex)
                : block.squared()
            return Chunk(rows: rows, points: block, secondOrder: features)
        }
    }
}

/// Responsibility-weighted sums of 1, x and the second-order features, accumulated chunk by chunk.
struct Moments {
    var counts: Tensor, sums: Tensor, secondOrder: Tensor

    init(data: MixtureData, components: Int) {
        let width = data.isFull ? data.pairIndex.size(0) : data.dimension
        counts = Tensor(zeros: [components], dtype: .float64)
        sums = Tensor(zeros: [components, data.dimension], dtype: .float64)
        secondOrder = Tensor(zeros: [components, width], dtype: .float64)
    }

    mutating func add(responsibilities: Tensor, chunk: MixtureData.Chunk) {
        let transposed = responsibilities.T
        counts = counts + responsibilities.sum(dim: 0)
        sums = sums + transposed.matmul(chunk.points)
        secondOrder = secondOrder + transposed.matmul(chunk.secondOrder)
    }

    /// The M-step: weights, means and regularised covariances from the accumulated moments.
    func parameters(data: MixtureData, regularisation: Double) throws -> MixtureParameters {
        let components = counts.size(0), dimension = data.dimension
        // scikit-learn adds 10 · machine epsilon so that an empty component does not divide by zero.
        let sizes = counts + 10 * Double.ulpOfOne
        let means = sums / sizes.unsqueezed(dim: 1)
        let logWeights = (sizes / Double(data.count)).log()
        guard data.isFull else {
            let variances = (secondOrder / sizes.unsqueezed(dim: 1) - means.squared()).clamped(min: 0)
            return MixtureParameters(diagonal: variances + regularisation, means: means, logWeights: logWeights)
        }
        let secondMoments = secondOrder.indexSelect(dim: 1, data.entryPair)
            .reshaped([components, dimension, dimension]) / sizes.reshaped([-1, 1, 1])
        let outer = means.unsqueezed(dim: 2) * means.unsqueezed(dim: 1)
        let covariances = secondMoments - outer + Tensor.eye(dimension, dtype: .float64) * regularisation
        return try MixtureParameters(full: covariances, means: means, logWeights: logWeights, data: data)
    }
}

/// Weights, means and covariances of a mixture, with what the E-step needs precomputed.
struct MixtureParameters {
    let logWeights: Tensor
    let means: Tensor
    let covariances: Tensor
    let isFull: Bool
    /// Per component: weights of the second-order features [W, K], of x [D, K], and the constant [1, K] of
    /// log πₖ + log N(x | μₖ, Σₖ) = second · quadratic + x · linear + constant.
    private let quadratic: Tensor, linear: Tensor, constant: Tensor

    /// Full covariances [K, D, D]; their Cholesky factors give the precisions and log-determinants.
    init(full covariances: Tensor, means: Tensor, logWeights: Tensor, data: MixtureData) throws {
        let components = means.size(0), dimension = means.size(1)
        let factors: Tensor
        do {
            factors = try Tensor.checking { covariances.cholesky() }
        } catch {
            throw EvaluationError.numericalFailure(
                what: "Fitting the Gaussian mixture",
                reason: "a component's covariance is not positive definite (\(error)); use fewer components or "
                    + "a larger regularisation.")
        }
        let identity = Tensor.eye(dimension, dtype: .float64).expanded(to: [components, dimension, dimension])
        let inverseFactors = factors.solveTriangular(identity, upper: false)
        let precisions = inverseFactors.transposed(1, 2).matmul(inverseFactors)
        let logDeterminants = 2 * factors.diagonal().log().sum(dim: 1)
        let precisionMeans = precisions.matmul(means.unsqueezed(dim: 2)).squeezed(dim: 2)
        quadratic = (precisions.reshaped([components, -1]).indexSelect(dim: 1, data.pairIndex)
            * data.pairMultiplicity * -0.5).T
        linear = precisionMeans.T
        constant = (logWeights - 0.5 * (logDeterminants + (means * precisionMeans).sum(dim: 1)
            + Double(dimension) * Foundation.log(2 * Double.pi))).unsqueezed(dim: 0)
        self.covariances = covariances
        self.means = means
        self.logWeights = logWeights
        isFull = true
    }

    /// Diagonal covariances [K, D].
    init(diagonal variances: Tensor, means: Tensor, logWeights: Tensor) {
        let precisions = variances.reciprocal()
        let dimension = means.size(1)
        quadratic = (precisions * -0.5).T
        linear = (means * precisions).T
        constant = (logWeights - 0.5 * (variances.log().sum(dim: 1) + (means.squared() * precisions).sum(dim: 1)
            + Double(dimension) * Foundation.log(2 * Double.pi))).unsqueezed(dim: 0)
        covariances = variances
        self.means = means
        self.logWeights = logWeights
        isFull = false
    }

    /// log πₖ + log N(x | μₖ, Σₖ) for every point of the chunk and every component [rows, K].
    func weightedLogDensities(_ chunk: MixtureData.Chunk) -> Tensor {
        chunk.secondOrder.matmul(quadratic) + chunk.points.matmul(linear) + constant
    }
}
