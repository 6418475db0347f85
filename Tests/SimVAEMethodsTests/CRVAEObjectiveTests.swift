import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

private func handSetCRVAE(consistencyWeight: Double = 2) throws -> CRVAE {
    let networks = try HandSetNetworks()
    return CRVAE(encoder: networks.encoder, decoder: networks.decoder, latents: 1, imageShape: [1, 2, 2],
                 likelihood: .bernoulli, consistencyWeight: consistencyWeight)
}

/// KL(N(μ₁, e^{lv₁}) ‖ N(μ₀, e^{lv₀})) for images whose pixels 0 and 1 are μ and lv.
private func gaussianKL(from transformed: [Double], to original: [Double]) -> Double {
    let (mean1, logVariance1, mean0, logVariance0) = (transformed[0], transformed[1], original[0], original[1])
    return 0.5 * (exp(logVariance1 - logVariance0) + (mean1 - mean0) * (mean1 - mean0) / exp(logVariance0) - 1
        - (logVariance1 - logVariance0))
}

@Test(.drawsFromTheRandomGenerator) func consistencyIsTheClosedFormKLOfTheTransformedToTheOriginalPosterior() throws {
    let (original, transformed) = ([0.5, 0, 1, 0.25], [1.0, 0.5, 0, 0])
    let output = try handSetCRVAE().loss(images: HandSetNetworks.images([original, transformed]), views: 2)
    let consistency = gaussianKL(from: transformed, to: original)
    let reconstruction = HandSetNetworks.reconstruction(original) + HandSetNetworks.reconstruction(transformed)
    let kl = HandSetNetworks.kl(original) + HandSetNetworks.kl(transformed)
    #expect(Set(output.terms.keys) == ["recon", "kl", "consistency"])
    #expect(abs(try #require(output.terms["consistency"]).item - consistency) < 1e-5)
    #expect(abs(try #require(output.terms["recon"]).item - reconstruction) < 1e-5)
    #expect(abs(try #require(output.terms["kl"]).item - kl) < 1e-5)
    #expect(abs(output.loss.item - (reconstruction + kl + 2 * consistency)) < 1e-5)
}

@Test(.drawsFromTheRandomGenerator) func crVAEPairsTheFirstTwoViewsOfEachSet() throws {
    // Two sets of three views: (a, b, junk) and (b, a, junk); the third views must not matter.
    let (a, b, junk) = ([0.5, 0, 1, 0.25], [1.0, 0.5, 0, 0], [-3.0, 2, 1, 1])
    let output = try handSetCRVAE().loss(images: HandSetNetworks.images([a, b, junk, b, a, junk]), views: 3)
    let consistency = (gaussianKL(from: b, to: a) + gaussianKL(from: a, to: b)) / 2
    #expect(abs(try #require(output.terms["consistency"]).item - consistency) < 1e-5)
}

@Test func crVAERunsRefuseSetsOfOneView() throws {
    var configuration = TrainingConfiguration.defaults(method: .crVAE, dataset: .fashionMNIST)
    try configuration.validate()
    configuration.views = 1
    let error = #expect(throws: ConfigurationError.self) { try configuration.validate() }
    #expect(error?.description == "--views must be at least 2: cr-vae learns from related views, got 1")
}

@Test(.drawsFromTheRandomGenerator) func crVAELossStopsOnSetsOfOneView() async throws {
    let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
        let model = try handSetCRVAE()
        _ = model.loss(images: HandSetNetworks.images([[0.5, 0, 1, 0.25]]), views: 1)
    }
    #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("at least 2 views per set"))
}

@Test(.drawsFromTheRandomGenerator) func consistencyGradientAlsoReachesTheOriginalViewsPosterior() throws {
    // Pixel 2 is lit only in the original x, so the encoder weight reading it (row μ, column 2) gets the
    // consistency gradient only through q(z | x). The decoder ignores z, so the encoder's gradient is
    // ∂(kl + λ·consistency); the λ = 2 and λ = 0 gradients differ by 2·∂KL(q₁ ‖ q₀)/∂μ₀ = −2(μ₁ − μ₀)/σ₀² = −1.
    let images = HandSetNetworks.images([[0.5, 0, 1, 0.25], [1, 0.5, 0, 0]])
    func gradient(consistencyWeight: Double) throws -> Double {
        let model = try handSetCRVAE(consistencyWeight: consistencyWeight)
        model.loss(images: images, views: 2).loss.backward()
        let weight = try #require(model.encoder.namedParameters().first { $0.0 == "layers.0.weight" }?.1.grad)
        return Double(weight.floats[2])
    }
    #expect(abs(try gradient(consistencyWeight: 2) - gradient(consistencyWeight: 0) - -1) < 1e-5)
}
