import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

private let pixels: [[Double]] = [[0.5, 0, 1, 0.25], [1, 0.5, 0, 0]]

private func handSetVAE(beta: Double) throws -> VAE {
    let networks = try HandSetNetworks()
    return VAE(encoder: networks.encoder, decoder: networks.decoder, latents: 1, imageShape: [1, 2, 2],
               likelihood: .bernoulli, beta: beta)
}

@Test(.drawsFromTheRandomGenerator) func vaeTermsAreImageAveragesOfTheClosedForms() throws {
    let output = try handSetVAE(beta: 1).loss(images: HandSetNetworks.images(pixels), views: 1)
    let kl = pixels.map(HandSetNetworks.kl).reduce(0, +) / 2
    let reconstruction = pixels.map(HandSetNetworks.reconstruction).reduce(0, +) / 2
    #expect(Set(output.terms.keys) == ["recon", "kl"])
    #expect(abs(try #require(output.terms["kl"]).item - kl) < 1e-5)
    #expect(abs(try #require(output.terms["recon"]).item - reconstruction) < 1e-5)
    #expect(abs(output.loss.item - (reconstruction + kl)) < 1e-5)
}

@Test(.drawsFromTheRandomGenerator) func betaScalesOnlyTheKLTerm() throws {
    let images = HandSetNetworks.images(pixels)
    let plain = try handSetVAE(beta: 1).loss(images: images, views: 2)
    let weighted = try handSetVAE(beta: 4).loss(images: images, views: 2)
    let (recon, kl) = (try #require(plain.terms["recon"]).item, try #require(plain.terms["kl"]).item)
    #expect(abs(try #require(weighted.terms["recon"]).item - recon) < 1e-6)
    #expect(abs(try #require(weighted.terms["kl"]).item - kl) < 1e-6)
    #expect(abs(weighted.loss.item - (recon + 4 * kl)) < 1e-5)
}

@Test(.drawsFromTheRandomGenerator) func vaeRepresentsByThePosteriorMeanAndSamplesImages() throws {
    let model = try handSetVAE(beta: 1)
    #expect(model.representation(HandSetNetworks.images(pixels)).floats == [0.5, 1])
    let expectedMean = HandSetNetworks.logits.map { 1 / (1 + exp(-$0)) }
    let reconstruction = model.reconstruct(HandSetNetworks.images(pixels)).floats
    #expect(zip(reconstruction, expectedMean + expectedMean).allSatisfy { abs(Double($0) - $1) < 1e-6 })
    #expect(model.sample(count: 3).shape == [3, 1, 2, 2])
    #expect(Method.vae.minimumViews == 1)
}
