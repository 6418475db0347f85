import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ArithmeticTests {
    let a = t([1, 2, 3, 4, 5, 6], [2, 3])
    let row = t([10, 20, 30])
    let column = t([2, 4], [2, 1])

    @Test(.drawsFromTheRandomGenerator) func tensorTensorBroadcasting() {
        expectClose(a + row, [11, 22, 33, 14, 25, 36], shape: [2, 3])
        expectClose(a - row, [-9, -18, -27, -6, -15, -24])
        expectClose(a * row, [10, 40, 90, 40, 100, 180])
        expectClose(a / column, [0.5, 1, 1.5, 1, 1.25, 1.5], shape: [2, 3])
        expectClose(-a, [-1, -2, -3, -4, -5, -6])
        expectClose(row + column, [12, 22, 32, 14, 24, 34], shape: [2, 3])
    }

    @Test(.drawsFromTheRandomGenerator) func tensorScalarForms() {
        expectClose(a + 1, [2, 3, 4, 5, 6, 7])
        expectClose(a - 1, [0, 1, 2, 3, 4, 5])
        expectClose(a * 2, [2, 4, 6, 8, 10, 12])
        expectClose(a / 2, [0.5, 1, 1.5, 2, 2.5, 3])
        expectClose(1 + a, [2, 3, 4, 5, 6, 7])
        expectClose(10 - a, [9, 8, 7, 6, 5, 4], shape: [2, 3])
        expectClose(2 * a, [2, 4, 6, 8, 10, 12])
        expectClose(6 / a, [6, 3, 2, 1.5, 1.2, 1], shape: [2, 3])
        expectClose(a.reciprocal(), [1, 0.5, 1 / 3.0, 0.25, 0.2, 1 / 6.0])
    }

    @Test(.drawsFromTheRandomGenerator) func integerTensorsDivideTrulyAndKeepTypeOtherwise() {
        let n = Tensor([2, 4, 5] as [Int64])
        #expect((n + 1).dtype == .int64)
        #expect((n + 1).scalars(as: Int64.self) == [3, 5, 6])
        #expect((10 - n).scalars(as: Int64.self) == [8, 6, 5])
        expectClose(n / 2, [1, 2, 2.5])
        expectClose(1 / n, [0.5, 0.25, 0.2])
        #expect((n + 0.5).dtype == .float32)  // a fractional scalar promotes, as in PyTorch
        #expect((n .> 4).scalars(as: Bool.self) == [false, false, true])
        // In-place updates of integer tensors with whole numbers (batch norm's counter does this).
        n.add_(1).mul_(2).add_(Tensor([1, 1, 1] as [Int64]), alpha: 3)
        #expect(n.dtype == .int64 && n.scalars(as: Int64.self) == [9, 13, 15])
        #expect(n.maskedFill(n .> 10, with: 0).scalars(as: Int64.self) == [9, 0, 0])
        n.fill_(7)
        #expect(n.scalars(as: Int64.self) == [7, 7, 7])
    }

    @Test(.drawsFromTheRandomGenerator) func matrixProducts() {
        let m = t([1, 2, 3, 4], [2, 2])
        expectClose(m.matmul(m), [7, 10, 15, 22], shape: [2, 2])
        expectClose(a.matmul(t([1, 0, -1])), [-2, -2], shape: [2])
        let batch = Tensor.stack([m, m * 2])
        expectClose(batch.bmm(batch), [7, 10, 15, 22, 28, 40, 60, 88], shape: [2, 2, 2])
        expectClose(batch.matmul(m), [7, 10, 15, 22, 14, 20, 30, 44], shape: [2, 2, 2])
        expectClose(t([1, 2]).outer(t([3, 4, 5])), [3, 4, 5, 6, 8, 10], shape: [2, 3])
        expectClose(a.T, [1, 4, 2, 5, 3, 6], shape: [3, 2])
    }

    @Test(.drawsFromTheRandomGenerator) func elementwiseExtremes() {
        let x = t([1, 5, 3]), y = t([4, 2, 3])
        expectClose(x.maximum(y), [4, 5, 3])
        expectClose(x.minimum(y), [1, 2, 3])
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ComparisonTests {
    let x = t([1, 2, 3])
    let y = t([3, 2, 1])

    private func bools(_ tensor: Tensor) -> [Bool] {
        #expect(tensor.dtype == .bool)
        return tensor.scalars(as: Bool.self)
    }

    @Test(.drawsFromTheRandomGenerator) func tensorComparisons() {
        #expect(bools(x .== y) == [false, true, false])
        #expect(bools(x .!= y) == [true, false, true])
        #expect(bools(x .< y) == [true, false, false])
        #expect(bools(x .<= y) == [true, true, false])
        #expect(bools(x .> y) == [false, false, true])
        #expect(bools(x .>= y) == [false, true, true])
    }

    @Test(.drawsFromTheRandomGenerator) func scalarComparisons() {
        #expect(bools(x .== 2) == [false, true, false])
        #expect(bools(x .!= 2) == [true, false, true])
        #expect(bools(x .< 2) == [true, false, false])
        #expect(bools(x .<= 2) == [true, true, false])
        #expect(bools(x .> 1.5) == [false, true, true])
        #expect(bools(x .>= 3) == [false, false, true])
    }

    @Test(.drawsFromTheRandomGenerator) func selectionAndLogic() {
        expectClose(Tensor.where(x .> y, x, y), [3, 2, 3])
        expectClose(Tensor.where(x .> 1, x, t([0])), [0, 2, 3])  // broadcasts
        let p = x .> 1, q = x .< 3
        #expect(bools(p.logicalAnd(q)) == [false, true, false])
        #expect(bools(p.logicalOr(q)) == [true, true, true])
        #expect(bools(p.logicalNot()) == [true, false, false])
        let special = t([1, .nan, .infinity])
        #expect(bools(special.isNaN()) == [false, true, false])
        #expect(bools(special.isFinite()) == [true, false, false])
        #expect((x .> 0).all() && !(x .> 1).all() && (x .> 2).any() && !(x .> 3).any())
    }
}
