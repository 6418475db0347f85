import Foundation
import SimVAEMethods
import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct GaussianMixtureTests {
    static let blobCentres: [[Double]] = [[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8]]

    @Test(.drawsFromTheRandomGenerator, arguments: GaussianMixture.CovarianceType.allCases)
    func recoversSeparatedBlobsWithANonDecreasingLikelihood(covariance: GaussianMixture.CovarianceType) throws {
        let blobs = gaussianClasses(Self.blobCentres, count: 800, seed: 4)
        let mixture = GaussianMixture(components: 4, covarianceType: covariance, restarts: 3, seed: 7)
        let fit = try mixture.fit(blobs.representations)
        let predictions = try fit.predict(blobs.representations).scalars(as: Int64.self).map(Int.init)
        let scores = try ClusteringScores(labels: blobs.labels.scalars(as: Int64.self).map(Int.init),
                                          predictions: predictions)
        #expect(scores.accuracy >= 0.99)
        #expect(scores.normalizedMutualInformation > 0.95)
        #expect(fit.converged)
        #expect(fit.logLikelihoods.count >= 2)
        for (earlier, later) in zip(fit.logLikelihoods, fit.logLikelihoods.dropFirst()) {
            #expect(later >= earlier - 1e-9 * Swift.abs(earlier))
        }
        #expect(Swift.abs(fit.weights.sum().item - 1) < 1e-9)
        let shape = covariance == .full ? [4, 3, 3] : [4, 3]
        #expect(fit.covariances.shape == shape)
    }

    @Test(.drawsFromTheRandomGenerator) func fullCovariancesMatchTheGeneratingOnes() throws {
        // One elongated, correlated Gaussian: the fitted covariance must approach [[4, 1.8], [1.8, 1]].
        Runtime.seed(5)
        let white = Tensor.randn([20_000, 2], dtype: .float64)
        let factor = Tensor([2.0, 0, 0.9, 0.4358898943540674], shape: [2, 2])
        let points = white.matmul(factor.T) + Tensor([10.0, -3], shape: [1, 2])
        let fit = try GaussianMixture(components: 1, restarts: 1).fit(points)
        let covariance = fit.covariances.reshaped([-1]).scalars(as: Double.self)
        for (value, expected) in zip(covariance, [4, 1.8, 1.8, 1.0]) { #expect(Swift.abs(value - expected) < 0.1) }
        let mean = fit.means.reshaped([-1]).scalars(as: Double.self)
        #expect(Swift.abs(mean[0] - 10) < 0.05 && Swift.abs(mean[1] + 3) < 0.05)
        // The mean log-likelihood of N(μ, Σ) at its own samples is −(d/2)(1 + ln 2π) − ½ ln det Σ.
        let expected = -(1 + Foundation.log(2 * Double.pi)) - 0.5 * Foundation.log(4 - 1.8 * 1.8)
        #expect(Swift.abs(fit.lowerBound - expected) < 0.02)
    }

    @Test(.drawsFromTheRandomGenerator) func matchesScikitLearnOnTheFixtureBlobs() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sklearn_clustering.json")
        let blobs = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).blobs
        let points = Tensor(blobs.points.flatMap { $0 }, shape: [blobs.points.count, blobs.points[0].count])
        let fit = try GaussianMixture(components: blobs.components, restarts: 10).fit(points)
        let predictions = try fit.predict(points).scalars(as: Int64.self).map(Int.init)
        let scores = try ClusteringScores(labels: blobs.labels, predictions: predictions)
        #expect(Swift.abs(scores.accuracy - blobs.gmmAccuracy) <= 0.01)
        #expect(Swift.abs(scores.normalizedMutualInformation - blobs.gmmNMI) <= 0.02)
        #expect(Swift.abs(scores.adjustedRandIndex - blobs.gmmARI) <= 0.02)
    }

    @Test(.drawsFromTheRandomGenerator) func theSameSeedGivesTheSameFit() throws {
        let blobs = gaussianClasses(Self.blobCentres, count: 200, noise: 3, seed: 6)
        let first = try GaussianMixture(components: 4, restarts: 2, seed: 3).fit(blobs.representations)
        let second = try GaussianMixture(components: 4, restarts: 2, seed: 3).fit(blobs.representations)
        #expect(first.logLikelihoods == second.logLikelihoods)
    }

    @Test(.drawsFromTheRandomGenerator) func restartsFittedTogetherStayIndependent() throws {
        // Restart 1 of a three-restart fit draws the same initialisation as a one-restart fit with the same seed,
        // so it must end at the same iteration with the same likelihood, whatever the other two do beside it.
        let blobs = gaussianClasses(Self.blobCentres, count: 300, noise: 3, seed: 8)
        let three = try GaussianMixture(components: 4, restarts: 3, seed: 11).restartFits(blobs.representations)
        let one = try GaussianMixture(components: 4, restarts: 1, seed: 11).fit(blobs.representations)
        #expect(three.count == 3)
        // Same iterations; likelihoods equal up to the summation order of the batched restarts.
        #expect(three[0].logLikelihoods.count == one.logLikelihoods.count)
        #expect(zip(three[0].logLikelihoods, one.logLikelihoods).allSatisfy { Swift.abs($0 - $1) < 1e-9 })
        var lines: [String] = []
        let best = try GaussianMixture(components: 4, restarts: 3, seed: 11)
            .fit(blobs.representations, progress: WorkProgress(note: { lines.append($0) }))
        #expect(best.lowerBound == three.map(\.lowerBound).max())
        #expect(lines.count == 1 && lines[0].hasPrefix("GMM: 3 restarts"), "\(lines)")
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [true, false])
    func featuresBuiltAtEachUseEqualKeptOnes(full: Bool) throws {
        // 4 096 columns cut the 800 points into chunks of 256 rows; a budget of 0 bytes keeps no features.
        let points = gaussianClasses(Self.blobCentres, count: 800, seed: 5).representations
        let kept = MixtureData(points, full: full, columns: 4096)
        let built = MixtureData(points, full: full, columns: 4096, keptBytes: 0)
        #expect(kept.chunks.count == 4 && built.chunks.count == 4)
        #expect(kept.chunks.allSatisfy(\.isKept) && !built.chunks.contains(where: \.isKept))
        for (keptChunk, builtChunk) in zip(kept.chunks, built.chunks) {
            #expect(keptChunk.rows == builtChunk.rows)
            let features = keptChunk.makeFeatures()
            #expect(features.shape == [keptChunk.rows.count, kept.featureWidth])
            #expect((features - builtChunk.makeFeatures()).abs().max().item == 0)
        }
    }

    @Test(.drawsFromTheRandomGenerator) func userErrorsThrowSentences() {
        let points = Tensor.randn([3, 2])
        #expect(throws: EvaluationError.tooFewSamples(what: "A mixture of 5 components", samples: 3, needed: 5)) {
            try GaussianMixture(components: 5).fit(points)
        }
        #expect(throws: EvaluationError.nonFiniteValues(what: "clustered representations")) {
            try GaussianMixture(components: 2).fit(points.log())
        }
        #expect(throws: EvaluationError.invalidSetting(name: "regularisation", value: "0.0", expected: "positive")) {
            try GaussianMixture(components: 2, regularisation: 0).fit(points)
        }
        #expect(throws: EvaluationError.self) { try GaussianMixture(components: 1).fit(Tensor.randn([4])) }
    }

    private struct Fixture: Decodable {
        struct Blobs: Decodable {
            let components: Int
            let points: [[Double]]
            let labels: [Int]
            let gmmAccuracy: Double, gmmNMI: Double, gmmARI: Double
            enum CodingKeys: String, CodingKey {
                case components, points, labels
                case gmmAccuracy = "gmm_accuracy", gmmNMI = "gmm_nmi", gmmARI = "gmm_ari"
            }
        }
        let blobs: Blobs
    }
}
