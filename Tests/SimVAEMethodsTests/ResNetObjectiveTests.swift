import TestSupport
import SimVAEData
import Testing
import Torch
@testable import SimVAEMethods

/// One training step of each VAE-family objective over narrow ResNet backbones.
@Test(.drawsFromTheRandomGenerator, arguments: [32, 64])
func vaeFamilyTrainsOnResNetBackbones(imageSize: Int) {
    Runtime.seed(3)
    let latents = 4
    let images = Tensor.rand([4, 3, imageSize, imageSize])
    func networks() -> (encoder: ResNetEncoder, decoder: ResNetDecoder) {
        (ResNetEncoder(imageSize: imageSize, width: 4, head: 2 * latents),
         ResNetDecoder(latents: latents, imageSize: imageSize, width: 4))
    }
    let likelihood = Likelihood.gaussian(logVariance: -4.6)
    let shape = [3, imageSize, imageSize]
    let (a, b, c) = (networks(), networks(), networks())
    let objectives: [any GenerativeObjective] = [
        VAE(encoder: a.encoder, decoder: a.decoder, latents: latents, imageShape: shape, likelihood: likelihood),
        CRVAE(encoder: b.encoder, decoder: b.decoder, latents: latents, imageShape: shape, likelihood: likelihood),
        SimVAE(encoder: c.encoder, decoder: c.decoder, latents: latents, imageShape: shape, likelihood: likelihood),
    ]
    for (objective, parts) in zip(objectives, [a, b, c]) {
        let output = objective.loss(images: images, views: 2)
        #expect(output.loss.item.isFinite)
        output.loss.backward()
        #expect(parts.encoder.conv1.weight.grad != nil && parts.decoder.fc.weight.grad != nil)
        #expect(objective.reconstruct(images).shape == images.shape)
        #expect(objective.sample(count: 2).shape == [2] + shape)
        #expect(objective.representation(images).shape == [4, latents])
    }
}
