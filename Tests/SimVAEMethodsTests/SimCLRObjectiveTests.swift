import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

@Test(.drawsFromTheRandomGenerator) func ntXentOfTwoOrthogonalPairsMatchesTheClosedForm() {
    // a = b = (e₁, e₂): each of the four vectors has similarity 1 with its partner and 0 with the two others,
    // so every row's loss is −log(e^{1/τ} / (e^{1/τ} + 2)) = log(1 + 2·e^{−1/τ}).
    let temperature = 0.5
    let pairs = Tensor([1, 0, 0, 1] as [Double], shape: [2, 2])
    let loss = NTXent.loss(pairs, pairs * 3, temperature: temperature).item
    #expect(Swift.abs(loss - log(1 + 2 * exp(-1 / temperature))) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func ntXentWithAnOppositeNegativeMatchesTheClosedForm() {
    // a = (e₁, −e₁), b = a: row 0 sees its partner at 1, and −e₁ twice at −1:
    // −log(e^{1/τ} / (e^{1/τ} + 2e^{−1/τ})) = log(1 + 2·e^{−2/τ}); all rows alike.
    let temperature = 0.2
    let a = Tensor([1, 0, -1, 0] as [Double], shape: [2, 2])
    let loss = NTXent.loss(a, a, temperature: temperature).item
    #expect(Swift.abs(loss - log(1 + 2 * exp(-2 / temperature))) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func ntXentIsSymmetricInTheTwoViews() {
    Runtime.seed(3)
    let a = Tensor.randn([6, 5], dtype: .float64), b = Tensor.randn([6, 5], dtype: .float64)
    let forward = NTXent.loss(a, b, temperature: 0.5).item
    let backward = NTXent.loss(b, a, temperature: 0.5).item
    #expect(Swift.abs(forward - backward) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func simCLRComparesTheFirstTwoViewsOfEachSet() {
    Runtime.seed(4)
    let model = SimCLR(encoder: MLP(widths: [4, 3]), head: ProjectionHead(inputs: 3, widths: [8, 2]))
    #expect(Method.simclr.minimumViews == 2)
    let images = Tensor.rand([4 * 3, 1, 2, 2])
    let output = model.loss(images: images, views: 3)
    // The same loss from the pair laid out by hand: views 0 and 1 of the four sets.
    let sets = images.reshaped([4, 3, 1, 2, 2])
    let first = sets.selected(dim: 1, index: 0), second = sets.selected(dim: 1, index: 1)
    let projected = model.head(model.encoder(Tensor.cat([first, second])))
    let expected = NTXent.loss(projected[0..<4], projected[4..<8], temperature: model.temperature).item
    #expect(Swift.abs(output.loss.item - expected) < 1e-6)
    #expect(output.terms["nce"]?.item == output.loss.item)
    #expect(model.representation(first).shape == [4, 3])
}
