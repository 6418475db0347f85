import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// Four samples in 2-D whose two columns (1, −1, 1, −1) and (1, 1, −1, −1) have mean 0, biased variance 1
/// and no correlation.
private func decorrelatedSamples() -> Tensor { Tensor([1, 1, -1, 1, 1, -1, -1, -1] as [Double], shape: [4, 2]) }

/// Barlow Twins' terms written out entry by entry for two views' embeddings, `a[n][d]` and `b[n][d]`.
private func entryByEntryTerms(_ a: [[Double]], _ b: [[Double]]) -> (invariance: Double, redundancy: Double) {
    func standardized(_ x: [[Double]]) -> [[Double]] {
        let count = Double(x.count)
        var columns: [[Double]] = []
        for d in 0..<x[0].count {
            let column = x.map { $0[d] }, mean = column.reduce(0, +) / count
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / count
            columns.append(column.map { ($0 - mean) / (variance + BarlowTwinsLoss.epsilon).squareRoot() })
        }
        return x.indices.map { n in columns.map { $0[n] } }
    }
    let (sa, sb) = (standardized(a), standardized(b))
    var invariance = 0.0, redundancy = 0.0
    for i in 0..<a[0].count {
        for j in 0..<a[0].count {
            let c = sa.indices.map { sa[$0][i] * sb[$0][j] }.reduce(0, +) / Double(a.count)
            if i == j { invariance += (1 - c) * (1 - c) } else { redundancy += c * c }
        }
    }
    return (invariance, redundancy)
}

@Test(.drawsFromTheRandomGenerator) func barlowTwinsTermsOfDecorrelatedIdenticalAndOppositeViews() {
    let scale = 1 / (1 + BarlowTwinsLoss.epsilon), decorrelated = decorrelatedSamples()
    func terms(_ a: Tensor, _ b: Tensor) -> (invariance: Double, redundancy: Double) {
        let correlation = BarlowTwinsLoss.crossCorrelation(BarlowTwinsLoss.standardized(a),
                                                           BarlowTwinsLoss.standardized(b))
        return (BarlowTwinsLoss.invariance(correlation).item, BarlowTwinsLoss.redundancy(correlation).item)
    }
    // Identical views (up to a shift): C = I/(1 + ε), so only ε's trace is left.
    let same = terms(decorrelated, decorrelated + 1)
    #expect(Swift.abs(same.invariance - 2 * (1 - scale) * (1 - scale)) < 1e-12)
    #expect(same.redundancy == 0)
    // Opposite views: C = −I/(1 + ε), each diagonal entry costs (1 + 1/(1 + ε))².
    let opposite = terms(decorrelated, decorrelated * -1)
    #expect(Swift.abs(opposite.invariance - 2 * (1 + scale) * (1 + scale)) < 1e-12)
    // A redundant embedding, both dimensions equal: C = [[1, 1], [1, 1]]/(1 + ε).
    let firstColumn = decorrelated.narrowed(dim: 1, start: 0, length: 1)
    let redundant = Tensor.cat([firstColumn, firstColumn], dim: 1)
    #expect(Swift.abs(terms(redundant, redundant).redundancy - 2 * scale * scale) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func barlowTwinsOfHandSetNetworksAveragesTheEntryByEntryTermsOverPairs() throws {
    // Encoder reads pixels 0 and 1 (HandSetNetworks); the projector maps (u, v) to (u, v, u + 2v).
    let weight = 0.1
    let head = ProjectionHead(inputs: 2, widths: [3])
    try head.load(stateDict: ["layers.0.weight": Tensor([1, 0, 0, 1, 1, 2] as [Float], shape: [3, 2]),
                              "layers.0.bias": Tensor(zeros: [3])])
    let model = BarlowTwins(encoder: try HandSetNetworks().encoder, head: head, redundancyWeight: weight)
    #expect(Method.barlowTwins.minimumViews == 2)
    // Four sets of three views, set-major: pixels 0 and 1 of view j of set b (pixels 2 and 3 are unused).
    let pixels: [[[Double]]] = [
        [[0.2, 0.9], [0.7, 0.3], [0.5, 0.5]], [[0.9, 0.1], [0.4, 0.6], [0.8, 0.7]],
        [[0.1, 0.4], [0.3, 0.9], [0.6, 0.2]], [[0.5, 0.8], [0.2, 0.1], [0.9, 0.4]],
    ]
    let images = HandSetNetworks.images(pixels.flatMap { $0.map { $0 + [0, 0] } })
    let output = model.loss(images: images, views: 3)
    let embeddings = (0..<3).map { j in pixels.map { [$0[j][0], $0[j][1], $0[j][0] + 2 * $0[j][1]] } }
    let pairs = [(0, 1), (0, 2), (1, 2)].map { entryByEntryTerms(embeddings[$0.0], embeddings[$0.1]) }
    let invariance = pairs.map(\.invariance).reduce(0, +) / 3, redundancy = pairs.map(\.redundancy).reduce(0, +) / 3
    func close(_ value: Tensor?, _ expected: Double) -> Bool {
        Swift.abs(value!.item - expected) < 1e-5 * Swift.max(1, Swift.abs(expected))
    }
    #expect(close(output.terms["invariance"], invariance))
    #expect(close(output.terms["redundancy"], redundancy))
    #expect(close(output.loss, invariance + weight * redundancy))
    #expect(model.representation(images).shape == [12, 2])
}

@Test(.drawsFromTheRandomGenerator) func barlowTwinsLossFallsOnAFixedBatch() {
    Runtime.seed(31)
    let model = BarlowTwins(encoder: MLP(widths: [4, 8]), head: ProjectionHead(inputs: 8, widths: [8, 4]))
    let losses = lossesTrainingOnOneBatch(model, images: Tensor.rand([16 * 2, 1, 2, 2]), views: 2, steps: 30)
    #expect(losses.last < 0.5 * losses.first, "the loss went from \(losses.first) to \(losses.last)")
}
