import Foundation
import TestSupport
import SimVAEData
import Testing
import Torch
@testable import SimVAEMethods

/// A SimVAE over tiny identity-like networks, to check the objective's terms by hand.
private func tinyModel(centrePrior: CentrePrior, variance: Double = 0.5,
                       weighting: SimVAEWeighting = .exact) -> SimVAE {
    SimVAE(encoder: MLP(widths: [4, 2]), decoder: MLP(widths: [1, 4]), latents: 1, imageShape: [1, 2, 2],
           likelihood: .bernoulli, clusterVariance: variance, centrePrior: centrePrior, weighting: weighting)
}

@Test(.drawsFromTheRandomGenerator) func uniformCentrePriorOfTwoLatentsMatchesTheClosedForm() {
    // z¹ = 1, z² = 3: z̄ = 2, Σ‖z − z̄‖² = 2. With σ² = 0.5, D = 1, J = 2:
    // log p = −2/(2·0.5) − ½·log(2π·0.5) − ½·log 2 = −2 − ½ log π − ½ log 2.
    let model = tinyModel(centrePrior: .uniform)
    let value = model.logPrior(Tensor([1.0, 3.0], shape: [1, 2, 1])).item
    #expect(Swift.abs(value - (-2 - 0.5 * log(Double.pi) - 0.5 * log(2.0))) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func gaussianCentrePriorIsTheExactJointGaussian() {
    // With ψ ~ N(0, 1), (z¹, z²) ~ N(0, σ²I + 11ᵀ). Evaluate that 2-D density directly.
    let variance = 0.15
    let model = tinyModel(centrePrior: .gaussian, variance: variance)
    let (a, b) = (0.3, -0.7)
    let (s11, s12) = (variance + 1, 1.0)
    let determinant = s11 * s11 - s12 * s12
    let quadratic = (s11 * a * a - 2 * s12 * a * b + s11 * b * b) / determinant
    let expected = -0.5 * quadratic - 0.5 * log(determinant) - log(2 * Double.pi)
    let value = model.logPrior(Tensor([a, b], shape: [1, 2, 1])).item
    #expect(Swift.abs(value - expected) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func entropyOfAKnownGaussian() {
    // log σ² = 0 in two dimensions: H = 2 · ½ log(2πe) = log(2πe); log σ² = 2 adds ½·2 per dimension.
    let posterior = GaussianPosterior(mean: Tensor(zeros: [2, 2], dtype: .float64),
                                      logVariance: Tensor([0.0, 0.0, 2.0, 2.0], shape: [2, 2]))
    let entropy = posterior.entropy().scalars(as: Double.self)
    #expect(Swift.abs(entropy[0] - log(2 * Double.pi * M_E)) < 1e-12)
    #expect(Swift.abs(entropy[1] - (log(2 * Double.pi * M_E) + 2)) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func klToStandardNormalVanishesOnlyAtTheStandardNormal() {
    let standard = GaussianPosterior(mean: Tensor(zeros: [1, 3], dtype: .float64),
                                     logVariance: Tensor(zeros: [1, 3], dtype: .float64))
    #expect(standard.klToStandardNormal().item == 0)
    // μ = 1, σ² = 1 in one dimension: KL = ½ μ² = 0.5.
    let shifted = GaussianPosterior(mean: Tensor([1.0], shape: [1, 1]), logVariance: Tensor([0.0], shape: [1, 1]))
    #expect(Swift.abs(shifted.klToStandardNormal().item - 0.5) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func authorsWeightingScalesReconstructionByTheInverseVariance() {
    let authors = SimVAEWeighting.authors(logVariance: -4.6)
    #expect(Swift.abs(authors.reconstruction - exp(4.6)) < 1e-9)
    #expect(Swift.abs(authors.entropy - 2 * Double.pi) < 1e-12)
    #expect(authors.sumsOverBatch)
    #expect(SimVAEWeighting.exact.reconstruction == 1 && !SimVAEWeighting.exact.sumsOverBatch)
}

/// The authors' Gaussian reconstruction is `0.5 * MSELoss(reduction="sum")(mu_x, x) / exp(log_var_x)`: with every
/// mean at sigmoid(0) = ½ and every target 1, four pixels give ½ · 4 · ¼ = ½ before the division.
@Test func authorsGaussianErrorIsHalfTheSummedSquaredError() {
    let error = Likelihood.gaussian(logVariance: -4.6)
        .unnormalisedError(decoded: Tensor(zeros: [2, 1, 2, 2]), targets: Tensor(ones: [2, 1, 2, 2]))
    #expect(error.scalars(as: Float.self) == [0.5, 0.5])
}

@Test(.drawsFromTheRandomGenerator) func lossReportsItsTermsAndIsFinite() {
    Runtime.seed(1)
    let model = tinyModel(centrePrior: .gaussian)
    let output = model.loss(images: Tensor.rand([6, 1, 2, 2]), views: 3)
    #expect(Set(output.terms.keys) == ["recon", "entropy", "prior"])
    #expect(output.loss.rank == 0 && output.loss.item.isFinite)
}
