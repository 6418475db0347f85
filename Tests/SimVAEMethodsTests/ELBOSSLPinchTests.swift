import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// Within-set spread of posterior means over their spread between sets, and the smallest distance between
/// two sets' mean reconstructions, for set-major `images` of `sets` sets.
private func clustering(of model: SimVAE, images: Tensor, sets: Int) -> (spreadRatio: Double, separation: Double) {
    withNoGrad {
        let means = model.representation(images).reshaped([sets, -1, model.latents])
        let centres = means.mean(dim: 1, keepDims: true)
        let within = (means - centres).squared().sum(dim: 2).mean().item
        let between = (centres - centres.mean(dim: 0, keepDims: true)).squared().sum(dim: 2).mean().item
        let reconstructions = model.reconstruct(images).reshaped([sets, -1, images.count / images.size(0)])
            .mean(dim: 1)
        let distances = Functional.pairwiseDistances(reconstructions, reconstructions) + Tensor.eye(sets) * 1e9
        return (within / between, distances.min().item)
    }
}

@Test(.drawsFromTheRandomGenerator) func elboSSLPullsRelatedLatentsTogetherAndKeepsSetsApart() {
    Runtime.seed(7)
    let (sets, views) = (8, 4)
    let originals = Tensor.rand([sets, 1, 16])
    let images = (originals.expanded(to: [sets, views, 16]) + Tensor.randn([sets, views, 16]) * 0.1)
        .clamped(min: 0, max: 1).reshaped([sets * views, 1, 4, 4])
    let model = SimVAE(encoder: MLP(widths: [16, 32, 4]), decoder: MLP(widths: [2, 32, 16]), latents: 2,
                       imageShape: [1, 4, 4], likelihood: .gaussian(logVariance: -4.6))
    let optimizer = Adam(model.parameters(), learningRate: 1e-2)
    let before = clustering(of: model, images: images, sets: sets)
    for _ in 0..<150 {
        optimizer.zeroGrad()
        model.loss(images: images, views: views).loss.backward()
        optimizer.step()
    }
    let after = clustering(of: model, images: images, sets: sets)
    #expect(after.spreadRatio < before.spreadRatio / 2, "spread ratio \(before.spreadRatio) → \(after.spreadRatio)")
    #expect(after.separation > 0.2, "closest reconstructions of two sets are \(after.separation) apart")
}
