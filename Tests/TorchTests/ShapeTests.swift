import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ShapeTests {
    /// x[i][j][k] = 12i + 4j + k.
    let x = Tensor.arange(0, 24, dtype: .float64).reshaped([2, 3, 4])
    let m = t([1, 2, 3, 4, 5, 6], [2, 3])

    @Test(.drawsFromTheRandomGenerator) func reshapingKeepsRowMajorOrder() {
        expectClose(x.reshaped([4, 6]), (0..<24).map(Double.init), shape: [4, 6])
        expectClose(x.reshaped([-1, 8]), (0..<24).map(Double.init), shape: [3, 8])
        #expect(x.viewed([24]).shape == [24])
        expectClose(x.flattened(from: 1), (0..<24).map(Double.init), shape: [2, 12])
        #expect(x.flattened().shape == [24])
        #expect(x.flattened(from: 0, through: 1).shape == [6, 4])
    }

    @Test(.drawsFromTheRandomGenerator) func permutingAndTransposing() {
        let p = x.permuted([2, 0, 1])
        var expected: [Double] = []
        for k in 0..<4 { for i in 0..<2 { for j in 0..<3 { expected.append(Double(12 * i + 4 * j + k)) } } }
        expectClose(p, expected, shape: [4, 2, 3])
        #expect(!p.isContiguous && p.contiguous().isContiguous)
        expectClose(m.transposed(0, 1), [1, 4, 2, 5, 3, 6], shape: [3, 2])
        expectClose(m.transposed(-1, -2), [1, 4, 2, 5, 3, 6], shape: [3, 2])
    }

    @Test(.drawsFromTheRandomGenerator) func squeezing() {
        let y = t([1, 2, 3], [1, 3, 1])
        #expect(y.squeezed().shape == [3])
        #expect(y.squeezed(dim: 0).shape == [3, 1])
        #expect(y.squeezed(dim: 1).shape == [1, 3, 1])  // not of size 1: unchanged
        #expect(t([1, 2, 3]).unsqueezed(dim: 1).shape == [3, 1])
        #expect(t([1, 2, 3]).unsqueezed(dim: -1).shape == [3, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func joining() {
        let a = t([1, 2], [1, 2]), b = t([3, 4], [1, 2])
        expectClose(Tensor.cat([a, b]), [1, 2, 3, 4], shape: [2, 2])
        expectClose(Tensor.cat([a, b], dim: 1), [1, 2, 3, 4], shape: [1, 4])
        expectClose(Tensor.stack([a, b]), [1, 2, 3, 4], shape: [2, 1, 2])
        expectClose(Tensor.stack([a, b], dim: 2), [1, 3, 2, 4], shape: [1, 2, 2])
    }

    @Test(.drawsFromTheRandomGenerator) func splitting() {
        let r = Tensor.arange(5, dtype: .float64)
        let pieces = r.split(size: 2)
        #expect(pieces.map(\.shape) == [[2], [2], [1]])
        expectClose(pieces[2], [4])
        let sized = r.split(sizes: [1, 4])
        expectClose(sized[0], [0])
        expectClose(sized[1], [1, 2, 3, 4])
        let chunks = r.chunked(2)
        expectClose(chunks[0], [0, 1, 2])
        expectClose(chunks[1], [3, 4])
        #expect(m.chunked(3, dim: 1).map(\.shape) == [[2, 1], [2, 1], [2, 1]])
    }

    @Test(.drawsFromTheRandomGenerator) func slicingAndSubscripts() {
        let r = Tensor.arange(5, dtype: .float64)
        expectClose(r.narrowed(dim: 0, start: 1, length: 2), [1, 2])
        expectClose(r.sliced(1..<5, step: 2), [1, 3])
        expectClose(m.sliced(dim: 1, 1..<3), [2, 3, 5, 6], shape: [2, 2])
        expectClose(r[2], [2], shape: [])
        expectClose(r[1..<3], [1, 2])
        expectClose(m[1], [4, 5, 6], shape: [3])
        expectClose(m.selected(dim: 1, index: 0), [1, 4])
        expectClose(x[1][2], [20, 21, 22, 23])
    }

    @Test(.drawsFromTheRandomGenerator) func indexing() {
        expectClose(m.indexSelect(dim: 0, Tensor([1, 0, 1] as [Int64])), [4, 5, 6, 1, 2, 3, 4, 5, 6], shape: [3, 3])
        expectClose(m.indexSelect(dim: 1, Tensor([2] as [Int64])), [3, 6], shape: [2, 1])
        let g = t([1, 2, 3, 4], [2, 2])
        expectClose(g.gathered(dim: 1, Tensor([0, 0, 1, 0] as [Int64], shape: [2, 2])), [1, 1, 4, 3])
        expectClose(m[Tensor([1] as [Int64])], [4, 5, 6], shape: [1, 3])
        expectClose(t([5, 6, 7])[t([5, 6, 7]) .> 5], [6, 7])
        let zeros = Tensor(zeros: [2, 2], dtype: .float64)
        let at = Tensor([1, 0] as [Int64], shape: [2, 1])
        expectClose(zeros.scattered(dim: 1, at, t([8, 9], [2, 1])), [0, 8, 9, 0])
        expectClose(zeros.scatterAdded(dim: 0, Tensor([0, 0] as [Int64], shape: [2, 1]), t([1, 2], [2, 1])),
                    [3, 0, 0, 0])
    }

    @Test(.drawsFromTheRandomGenerator) func masking() {
        let mask = m .> 3
        expectClose(m.maskedFill(mask, with: -1), [1, 2, 3, -1, -1, -1], shape: [2, 3])
        expectClose(m.maskedSelect(mask), [4, 5, 6], shape: [3])
        expectClose(m.maskedFill(t([1, 0, 1]) .== 1, with: 0), [0, 2, 0, 0, 5, 0])  // broadcast mask
    }

    @Test(.drawsFromTheRandomGenerator) func tilingAndFlipping() {
        expectClose(t([1, 2]).repeated([2]), [1, 2, 1, 2])
        expectClose(t([1, 2], [1, 2]).repeated([2, 2]), [1, 2, 1, 2, 1, 2, 1, 2], shape: [2, 4])
        expectClose(t([1, 2], [2, 1]).expanded(to: [2, 3]), [1, 1, 1, 2, 2, 2], shape: [2, 3])
        expectClose(t([1, 2], [2, 1]).expanded(to: [-1, 2]), [1, 1, 2, 2], shape: [2, 2])
        expectClose(m.flipped([1]), [3, 2, 1, 6, 5, 4])
        expectClose(m.flipped([0, 1]), [6, 5, 4, 3, 2, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func matrixHelpers() {
        let labels = Tensor([2, 0] as [Int64])
        #expect(labels.oneHot(classes: 3).scalars(as: Int64.self) == [0, 0, 1, 1, 0, 0])
        let square = t([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3])
        expectClose(square.diagonal(), [1, 5, 9])
        expectClose(square.diagonal(offset: 1), [2, 6])
        expectClose(square.lowerTriangle(), [1, 0, 0, 4, 5, 0, 7, 8, 9])
        expectClose(square.lowerTriangle(diagonal: -1), [0, 0, 0, 4, 0, 0, 7, 8, 0])
    }
}
