import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ReductionTests {
    let m = t([1, 2, 3, 4, 5, 6], [2, 3])

    @Test(.drawsFromTheRandomGenerator) func sums() {
        expectClose(m.sum(), [21], shape: [])
        expectClose(m.sum(dim: 0), [5, 7, 9], shape: [3])
        expectClose(m.sum(dim: 1, keepDims: true), [6, 15], shape: [2, 1])
        expectClose(m.sum(dims: [0, 1]), [21], shape: [])
        expectClose(m.sum(dim: -1), [6, 15], shape: [2])
        expectClose(m.cumulativeSum(dim: 1), [1, 3, 6, 4, 9, 15], shape: [2, 3])
    }

    @Test(.drawsFromTheRandomGenerator) func means() {
        expectClose(m.mean(), [3.5], shape: [])
        expectClose(m.mean(dim: 1), [2, 5], shape: [2])
        expectClose(m.mean(dims: [0], keepDims: true), [2.5, 3.5, 4.5], shape: [1, 3])
    }

    @Test(.drawsFromTheRandomGenerator) func extremesAndTheirIndices() {
        expectClose(m.max(), [6], shape: [])
        expectClose(m.min(), [1], shape: [])
        let rowMax = m.max(dim: 1)
        expectClose(rowMax.values, [3, 6], shape: [2])
        #expect(rowMax.indices.scalars(as: Int64.self) == [2, 2])
        let columnMin = m.min(dim: 0, keepDims: true)
        expectClose(columnMin.values, [1, 2, 3], shape: [1, 3])
        #expect(columnMin.indices.scalars(as: Int64.self) == [0, 0, 0])
        let mixed = t([3, 9, 1, 4, 0, 8], [2, 3])
        #expect(mixed.argmax().scalars(as: Int64.self) == [1])
        #expect(mixed.argmax(dim: 0).scalars(as: Int64.self) == [1, 0, 1])
        #expect(mixed.argmin(dim: 1, keepDims: true).shape == [2, 1])
        #expect(mixed.argmin(dim: 1, keepDims: true).scalars(as: Int64.self) == [2, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func logSumExp() {
        let expected = Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0))
        expectClose(m.logSumExp(dims: [1]), [expected, expected + 3], shape: [2])
        expectClose(m.logSumExp(dims: [1], keepDims: true), [expected, expected + 3], shape: [2, 1])
        // Stable for large inputs, where exp overflows.
        expectClose(t([1000, 1000]).logSumExp(dims: [0]), [1000 + Foundation.log(2.0)])
    }

    @Test(.drawsFromTheRandomGenerator) func spread() {
        expectClose(m.variance(), [3.5], shape: [])  // Σ(x−3.5)² = 17.5, over n−1 = 5
        expectClose(m.variance(correction: 0), [17.5 / 6])
        expectClose(m.variance(dims: [1]), [1, 1], shape: [2])
        expectClose(m.variance(dims: [1], keepDims: true), [1, 1], shape: [2, 1])
        expectClose(m.standardDeviation(dims: [0]), [(4.5).squareRoot(), (4.5).squareRoot(), (4.5).squareRoot()])
        expectClose(m.standardDeviation(dims: [0], correction: 0), [1.5, 1.5, 1.5])
    }

    @Test(.drawsFromTheRandomGenerator) func norms() {
        expectClose(m.norm(dims: [1]), [(14.0).squareRoot(), (77.0).squareRoot()], shape: [2])
        expectClose(m.norm(1, dims: [0]), [5, 7, 9])
        expectClose(m.norm(dims: [0, 1], keepDims: true), [(91.0).squareRoot()], shape: [1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func sortingAndTopK() {
        let x = t([3, 1, 2])
        let sorted = x.sorted()
        expectClose(sorted.values, [1, 2, 3])
        #expect(sorted.indices.scalars(as: Int64.self) == [1, 2, 0])
        #expect(x.argsort(descending: true).scalars(as: Int64.self) == [0, 2, 1])
        let top = x.topK(2)
        expectClose(top.values, [3, 2])
        #expect(top.indices.scalars(as: Int64.self) == [0, 2])
        expectClose(x.topK(1, largest: false).values, [1])
    }
}
