import Foundation
import SimVAEData
import SimVAEMethods
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
/// The restarts are independent but run side by side: one EM step of every unfinished restart is one pass over
/// the data in chunks, with one matrix product from the chunk's features (`MixtureData`) to all log-densities and
/// one from the responsibilities back to all moments. A restart leaves the batch as soon as it converges.
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
    /// The k-means initialisation stops once its centres move, in total squared distance, by at most this
    /// fraction of the points' mean variance (default 1e-4, scikit-learn's `KMeans` `tol`).
    public var kMeansTolerance: Double
    /// Seed of the initialisations.
    public var seed: UInt64

    /// Creates a mixture model with scikit-learn's defaults, except 10 restarts instead of 1.
    public init(components: Int, covarianceType: CovarianceType = .full, restarts: Int = 10,
                maxIterations: Int = 100, tolerance: Double = 1e-3, regularisation: Double = 1e-6,
                kMeansIterations: Int = 100, kMeansTolerance: Double = 1e-4, seed: UInt64 = 0) {
        self.components = components
        self.covarianceType = covarianceType
        self.restarts = restarts
        self.maxIterations = maxIterations
        self.tolerance = tolerance
        self.regularisation = regularisation
        self.kMeansIterations = kMeansIterations
        self.kMeansTolerance = kMeansTolerance
        self.seed = seed
    }

    /// Fits the mixture to `points` [N, D]: the best of its restarts (the first of equally good ones).
    ///
    /// - Parameter progress: told the restarts finished after each EM iteration, and given one summary line (EM
    ///   iterations, restarts converged, the best mean log-likelihood) at the end.
    /// - Throws: `EvaluationError` for invalid settings, a non-matrix or non-finite input, fewer points than
    ///   components, or covariances that are not positive definite even after regularisation.
    public func fit(_ points: Tensor, progress: WorkProgress = .silent) throws -> GaussianMixtureFit {
        let fits = try restartFits(points, progress: progress)
        let best = fits.indices.max { fits[$0].lowerBound < fits[$1].lowerBound } ?? 0
        let iterations = fits.map(\.logLikelihoods.count)
        progress.note(String(format: "GMM: %d restarts, %d to %d EM iterations, %d converged; best mean "
                                 + "log-likelihood %.4f (restart %d)", restarts, iterations.min() ?? 0,
                             iterations.max() ?? 0, fits.filter(\.converged).count, fits[best].lowerBound,
                             best + 1))
        return fits[best]
    }

    /// Every restart's fit to `points`, in restart order; see `fit` for `progress` and the errors.
    func restartFits(_ points: Tensor, progress: WorkProgress = .silent) throws -> [GaussianMixtureFit] {
        try validateSettings()
        try RepresentationChecks.representations(points, "clustered")
        guard points.size(0) >= components else {
            throw EvaluationError.tooFewSamples(what: "A mixture of \(components) components",
                                                samples: points.size(0), needed: components)
        }
        return try withNoGrad {
            let data = MixtureData(points, full: covarianceType == .full, columns: restarts * components)
            var random = SplitMix64(seed: seed)
            let assignments = KMeans.assignments(of: data.centred, count: components, restarts: restarts,
                                                 iterations: kMeansIterations, tolerance: kMeansTolerance,
                                                 random: &random)
            return try runEM(data, initial: assignments, progress: progress)
        }
    }

    private func validateSettings() throws {
        let checks: [(String, Bool, String, String)] = [
            ("components", components >= 1, "\(components)", "at least 1"),
            ("restarts", restarts >= 1, "\(restarts)", "at least 1"),
            ("maxIterations", maxIterations >= 1, "\(maxIterations)", "at least 1"),
            ("kMeansIterations", kMeansIterations >= 1, "\(kMeansIterations)", "at least 1"),
            ("tolerance", tolerance >= 0, "\(tolerance)", "zero or positive"),
            ("kMeansTolerance", kMeansTolerance >= 0, "\(kMeansTolerance)", "zero or positive"),
            ("regularisation", regularisation > 0, "\(regularisation)", "positive"),
        ]
        for (name, valid, value, expected) in checks where !valid {
            throw EvaluationError.invalidSetting(name: name, value: value, expected: expected)
        }
    }

    /// EM for every restart from its hard initial assignment (column r of [N, R], int64); one fit per restart.
    private func runEM(_ data: MixtureData, initial assignments: Tensor,
                       progress: WorkProgress) throws -> [GaussianMixtureFit] {
        let offsets = Tensor.arange(0, Double(restarts * components), step: Double(components), dtype: .int64)
            .unsqueezed(dim: 0)
        let initial = data.moments { chunk, _ in
            Tensor(zeros: [chunk.rows.count, restarts * components], dtype: .float64)
                .scattered(dim: 1, assignments[chunk.rows] + offsets,
                           Tensor(ones: [chunk.rows.count, restarts], dtype: .float64))
        }
        var parameters = try MixtureParameters(moments: initial, restarts: restarts, data: data,
                                               regularisation: regularisation)
        var active = Array(0..<restarts)
        var histories = [[Double]](repeating: [], count: restarts)
        var fits = [GaussianMixtureFit?](repeating: nil, count: restarts)
        func finish(_ restart: Int, parameters: MixtureParameters, converged: Bool) {
            fits[restart] = GaussianMixtureFit(parameters: parameters, offset: data.offset,
                                               logLikelihoods: histories[restart], converged: converged)
        }
        for _ in 0..<maxIterations where !active.isEmpty {
            var totals = Tensor(zeros: [active.count], dtype: .float64)
            let moments = data.moments { chunk, features in
                // A log-sum-exp whose exponentials are reused as the unnormalised responsibilities.
                let weighted = parameters.weightedLogDensities(features)
                let maximum = weighted.max(dim: 2, keepDims: true).values
                let densities = (weighted - maximum).exp()
                let sums = densities.sum(dim: 2, keepDims: true)
                totals = totals + (sums.log() + maximum).sum(dims: [0, 2])
                return (densities / sums).reshaped([chunk.rows.count, -1])
            }
            let likelihoods = (totals / Double(data.count)).scalars(as: Double.self)
            guard likelihoods.allSatisfy(\.isFinite) else {
                throw EvaluationError.numericalFailure(what: "Fitting the Gaussian mixture",
                                                       reason: "the log-likelihood is not finite.")
            }
            let next = try MixtureParameters(moments: moments, restarts: active.count, data: data,
                                             regularisation: regularisation)
            var kept: [Int] = []
            for (position, restart) in active.enumerated() {
                let previous = histories[restart].last
                histories[restart].append(likelihoods[position])
                if let previous, Swift.abs(likelihoods[position] - previous) < tolerance {
                    finish(restart, parameters: next.selecting([position]), converged: true)
                } else {
                    kept.append(position)
                }
            }
            if kept.count < active.count {
                parameters = next.selecting(kept)
                active = kept.map { active[$0] }
            } else {
                parameters = next
            }
            progress.advance("GMM (EM), restarts converged", restarts - active.count, restarts)
        }
        for (position, restart) in active.enumerated() {
            finish(restart, parameters: parameters.selecting([position]), converged: false)
        }
        return fits.map { $0! }
    }
}

/// A fitted Gaussian mixture: its parameters, the likelihood history of the kept restart, and prediction.
public struct GaussianMixtureFit {
    /// The parameters of this restart alone.
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
    public var weights: Tensor { parameters.logWeights[0].exp() }
    /// Component means [K, D].
    public var means: Tensor { parameters.means[0] + offset }
    /// Covariances: [K, D, D] for full, [K, D] for diagonal mixtures (regularisation included).
    public var covariances: Tensor { parameters.covariances[0] }

    /// The most probable component of each point [N] (int64).
    ///
    /// - Throws: `EvaluationError` when the points are not a finite matrix with the fitted width.
    public func predict(_ points: Tensor) throws -> Tensor {
        try RepresentationChecks.representations(points, "clustered")
        let dimension = parameters.means.size(2)
        guard points.size(1) == dimension else {
            throw EvaluationError.unexpectedShape(what: "clustered representations", shape: points.shape,
                                                  expected: "\(dimension) features as in the fit")
        }
        return withNoGrad {
            // Each chunk's features are used once, so none are kept.
            let data = MixtureData(points.double - offset, full: parameters.isFull, columns: parameters.components,
                                   centred: true, keptBytes: 0)
            return Tensor.cat(data.chunks.map {
                parameters.weightedLogDensities($0.makeFeatures()).argmax(dim: 2).reshaped([-1])
            })
        }
    }
}
