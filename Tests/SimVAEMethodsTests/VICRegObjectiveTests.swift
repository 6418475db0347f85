import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// Two views of two samples in 2-D: a = ((0, 0), (0.5, 1)), b = ((0, 0), (0.5, 3)).
private func pair() -> (Tensor, Tensor) {
    (Tensor([0, 0, 0.5, 1] as [Double], shape: [2, 2]), Tensor([0, 0, 0.5, 3] as [Double], shape: [2, 2]))
}

@Test(.drawsFromTheRandomGenerator) func invarianceIsTheMeanSquaredDifference() {
    let (a, b) = pair()
    // Only one entry differs, by 2: 4 / (N·D = 4) = 1.
    #expect(Swift.abs(VICRegLoss.invariance(a, b).item - 1) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func varianceTermIsTheHingeOnEachStandardDeviation() {
    let (a, b) = pair()
    // Unbiased variances over two rows: a (0.125, 0.5), b (0.125, 4.5).
    let eps = VICRegLoss.epsilon
    func hinge(_ variance: Double) -> Double { Swift.max(0, 1 - (variance + eps).squareRoot()) }
    let expected = 0.5 * (hinge(0.125) + hinge(0.5)) / 2 + 0.5 * (hinge(0.125) + hinge(4.5)) / 2
    #expect(Swift.abs(VICRegLoss.variance(a, b).item - expected) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func covarianceTermIsTheSquaredOffDiagonalOverD() {
    let (a, b) = pair()
    // Covariances over two rows: a 0.25 (= 2·0.25·0.5), b 0.75 (= 2·0.25·1.5); two off-diagonal entries each.
    let expected = 2 * 0.25 * 0.25 / 2 + 2 * 0.75 * 0.75 / 2
    #expect(Swift.abs(VICRegLoss.covariance(a, b).item - expected) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func collapsedBatchHasTheLargestVariancePenalty() {
    let collapsed = Tensor(ones: [4, 3], dtype: .float64)
    let largest = 1 - VICRegLoss.epsilon.squareRoot()
    #expect(Swift.abs(VICRegLoss.variance(collapsed, collapsed).item - largest) < 1e-12)
    #expect(VICRegLoss.invariance(collapsed, collapsed).item == 0)
    #expect(VICRegLoss.covariance(collapsed, collapsed).item == 0)
    Runtime.seed(2)
    let spread = Tensor.randn([4, 3], dtype: .float64) * 0.1
    #expect(VICRegLoss.variance(spread, spread).item < largest)
}

@Test(.drawsFromTheRandomGenerator) func vicRegWeighsItsTerms() {
    Runtime.seed(6)
    let model = VICReg(encoder: MLP(widths: [4, 3]), head: ProjectionHead(inputs: 3, widths: [8, 4]))
    let output = model.loss(images: Tensor.rand([5 * 2, 1, 2, 2]), views: 2)
    let terms = output.terms.mapValues(\.item)
    let expected = 25 * terms["invariance"]! + 25 * terms["variance"]! + terms["covariance"]!
    #expect(Swift.abs(output.loss.item - expected) < 1e-5)
}
