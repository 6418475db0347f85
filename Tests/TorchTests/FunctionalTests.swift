import Foundation
import TestSupport
import Testing
@testable import Torch

/// 1×1×3×3 image [[1,2,3],[4,5,6],[7,8,9]].
var image3x3: Tensor { t([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]) }

@Suite(.serialized, .drawsFromTheRandomGenerator) struct FunctionalTests {
    @Test(.drawsFromTheRandomGenerator) func linear() {
        let weight = t([1, 0, 0, 1, 1, 1], [3, 2])
        expectClose(Functional.linear(t([1, 2], [1, 2]), weight: weight, bias: t([0.5, 0, -1])), [1.5, 2, 2],
                    shape: [1, 3])
        expectClose(Functional.linear(t([1, 2]), weight: weight), [1, 2, 3], shape: [3])
    }

    @Test(.drawsFromTheRandomGenerator) func conv2dByHand() {
        let k2 = t([1, 2, 3, 4], [1, 1, 2, 2])
        // 1·1 + 2·2 + 4·3 + 5·4 = 37, and so on.
        expectClose(Functional.conv2d(image3x3, weight: k2), [37, 47, 67, 77], shape: [1, 1, 2, 2])
        expectClose(Functional.conv2d(image3x3, weight: k2, bias: t([1])), [38, 48, 68, 78])
        // A 3×3 box filter with zero padding sums each neighbourhood.
        let box = Tensor(ones: [1, 1, 3, 3], dtype: .float64)
        expectClose(Functional.conv2d(image3x3, weight: box, padding: 1), [12, 21, 16, 27, 45, 33, 24, 39, 28],
                    shape: [1, 1, 3, 3])
        expectClose(Functional.conv2d(image3x3, weight: box, stride: 2, padding: 1), [12, 16, 24, 28],
                    shape: [1, 1, 2, 2])
        // Dilation 2 on a 3×3 image with a 2×2 kernel touches the four corners.
        expectClose(Functional.conv2d(image3x3, weight: k2, dilation: 2), [1 + 6 + 21 + 36], shape: [1, 1, 1, 1])
        // Two groups: each output channel sees one input channel.
        let twoChannels = Tensor.cat([image3x3, image3x3 * 10], dim: 1)
        let perChannel = Tensor(ones: [2, 1, 1, 1], dtype: .float64)
        expectClose(Functional.conv2d(twoChannels, weight: perChannel, groups: 2), twoChannels.doubles,
                    shape: [1, 2, 3, 3])
    }

    @Test(.drawsFromTheRandomGenerator) func convTranspose2dByHand() {
        let input = t([1, 2, 3, 4], [1, 1, 2, 2])
        let ones = Tensor(ones: [1, 1, 2, 2], dtype: .float64)
        expectClose(Functional.convTranspose2d(input, weight: ones), [1, 3, 2, 4, 10, 6, 3, 7, 4],
                    shape: [1, 1, 3, 3])
        expectClose(Functional.convTranspose2d(input, weight: ones, stride: 2),
                    [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], shape: [1, 1, 4, 4])
        expectClose(Functional.convTranspose2d(input, weight: ones, bias: t([1]), stride: 2, padding: 1,
                                               outputPadding: 1),
                    [2, 3, 3, 4, 5, 5, 4, 5, 5], shape: [1, 1, 3, 3])
    }

    @Test(.drawsFromTheRandomGenerator) func convTransposeIsTheAdjointOfConv() {
        // ⟨conv(x), y⟩ = ⟨x, convᵀ(y)⟩ for the same weight, stride and padding.
        let x = sample([1, 2, 5, 5], seed: 1), weight = sample([3, 2, 3, 3], seed: 2)
        let y = sample([1, 3, 3, 3], seed: 3)
        let lhs = (Functional.conv2d(x, weight: weight, stride: 2, padding: 1) * y).sum().item
        let rhs = (x * Functional.convTranspose2d(y, weight: weight, stride: 2, padding: 1)).sum().item
        expectClose([lhs], [rhs], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func batchNormInTraining() {
        let x = t([1, 2, 2, 4, 3, 6, 4, 8], [4, 2])  // columns [1,2,3,4] and [2,4,6,8]
        let runningMean = Tensor(zeros: [2], dtype: .float64), runningVar = Tensor(ones: [2], dtype: .float64)
        let y = Functional.batchNorm(x, runningMean: runningMean, runningVariance: runningVar, weight: t([1, 2]),
                                     bias: t([0, 1]), training: true, momentum: 0.1, eps: 1e-5)
        var expected: [Double] = []
        for row in 0..<4 {
            let v = Double(row + 1)
            expected.append((v - 2.5) / (1.25 + 1e-5).squareRoot())  // biased variance 1.25
            expected.append(2 * (2 * v - 5) / (5 + 1e-5).squareRoot() + 1)  // biased variance 5
        }
        expectClose(y, expected, shape: [4, 2], atol: 1e-12)
        // Running statistics move 10% toward the batch mean and the *unbiased* batch variance.
        expectClose(runningMean, [0.25, 0.5], atol: 1e-12)
        expectClose(runningVar, [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 20 / 3], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func batchNormInEvaluation() {
        let x = t([1, 2, 3, 8], [2, 2, 1, 1])
        let y = Functional.batchNorm(x, runningMean: t([1, 2]), runningVariance: t([4, 9]), weight: nil, bias: nil,
                                     training: false, eps: 0)
        expectClose(y, [0, 0, 1, 2], shape: [2, 2, 1, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func pooling() {
        let grid = Tensor.arange(16, dtype: .float64).reshaped([1, 1, 4, 4])
        expectClose(Functional.maxPool2d(grid, kernelSize: 2), [5, 7, 13, 15], shape: [1, 1, 2, 2])
        expectClose(Functional.avgPool2d(grid, kernelSize: 2), [2.5, 4.5, 10.5, 12.5], shape: [1, 1, 2, 2])
        expectClose(Functional.maxPool2d(grid, kernelSize: 3, stride: 1), [10, 11, 14, 15])
        expectClose(Functional.maxPool2d(grid, kernelSize: 2, stride: 2, padding: 1), [0, 2, 3, 8, 10, 11, 12, 14, 15])
        expectClose(Functional.avgPool2d(grid, kernelSize: 2, stride: 2, padding: 1).sliced(dim: 2, 0..<1),
                    [0 / 4.0, 3 / 4.0, 3 / 4.0])  // zero padding counts in the average, as in PyTorch
        expectClose(Functional.adaptiveAvgPool2d(grid, outputSize: [1, 1]), [7.5], shape: [1, 1, 1, 1])
        expectClose(Functional.adaptiveAvgPool2d(grid, outputSize: [2, 2]), [2.5, 4.5, 10.5, 12.5])
        expectClose(Functional.adaptiveAvgPool2d(grid, outputSize: [1, 2]), [6.5, 8.5], shape: [1, 1, 1, 2])
        expectClose(Functional.adaptiveMaxPool2d(grid, outputSize: [1, 1]), [15], shape: [1, 1, 1, 1])
        expectClose(Functional.adaptiveMaxPool2d(grid, outputSize: [2, 1]), [7, 15], shape: [1, 1, 2, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func interpolation() {
        let small = t([1, 2, 3, 4], [1, 1, 2, 2])  // f(y, x) = 1 + 2y + x on the pixel grid
        expectClose(Functional.interpolate(small, size: [4, 4]),
                    [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4], shape: [1, 1, 4, 4])
        expectClose(Functional.interpolate(small, size: [3, 3], mode: .bilinear, alignCorners: true),
                    [1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4])
        // Without aligned corners, output pixel i samples the input at (i + 0.5)/2 − 0.5, clamped to [0, 1].
        let positions = [0, 0.25, 0.75, 1.0]
        let expected = positions.flatMap { y in positions.map { x in 1 + 2 * y + x } }
        expectClose(Functional.interpolate(small, size: [4, 4], mode: .bilinear), expected, shape: [1, 1, 4, 4])
    }

    @Test(.drawsFromTheRandomGenerator) func dropout() {
        let ones = Tensor(ones: [2000], dtype: .float64)
        expectClose(Functional.dropout(ones, p: 0.5, training: false), ones.doubles)
        expectClose(Functional.dropout(ones, p: 0, training: true), ones.doubles)
        let dropped = withGlobalGenerator { Functional.dropout(ones, p: 0.25, training: true) }.doubles
        #expect(dropped.allSatisfy { $0 == 0 || Swift.abs($0 - 4 / 3.0) < 1e-12 })
        let kept = Double(dropped.filter { $0 != 0 }.count) / 2000
        #expect(Swift.abs(kept - 0.75) < 0.05, "kept \(kept)")
    }

    @Test(.drawsFromTheRandomGenerator) func softmaxFamily() {
        let logits = t([1, 2, 3, 1, 1, 1], [2, 3])
        let z = Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)
        let first = [1.0, 2, 3].map { Foundation.exp($0) / z }
        expectClose(Functional.softmax(logits, dim: 1), first + [1 / 3.0, 1 / 3.0, 1 / 3.0], shape: [2, 3])
        expectClose(Functional.logSoftmax(logits, dim: 1), (first + [1 / 3.0, 1 / 3.0, 1 / 3.0]).map(Foundation.log))
        expectClose(Functional.softmax(logits, dim: 0).sum(dim: 0), [1, 1, 1])
        expectClose(Functional.logSoftmax(t([1000, 0]), dim: 0), [0, -1000])  // stable
    }

    @Test(.drawsFromTheRandomGenerator) func crossEntropy() {
        let logits = t([1, 2, 3, 1, 1, 1], [2, 3])
        let targets = Tensor([2, 0] as [Int64])
        let lse = Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0))
        let losses = [lse - 3, Foundation.log(3.0)]
        expectClose(Functional.crossEntropy(logits, targets: targets, reduction: .none), losses, shape: [2])
        expectClose(Functional.crossEntropy(logits, targets: targets), [(losses[0] + losses[1]) / 2], shape: [])
        expectClose(Functional.crossEntropy(logits, targets: targets, reduction: .sum), [losses[0] + losses[1]])
        // Label smoothing ε mixes the target with the uniform distribution: (1−ε)·nll + ε·mean(−log p).
        let smoothed = 0.9 * losses[0] + 0.1 * ([1.0, 2, 3].map { lse - $0 }.reduce(0, +) / 3)
        expectClose(Functional.crossEntropy(logits[0..<1], targets: targets[0..<1], labelSmoothing: 0.1), [smoothed])
    }

    @Test(.drawsFromTheRandomGenerator) func binaryCrossEntropies() {
        let targets = t([1, 0])
        expectClose(Functional.binaryCrossEntropy(t([0.8, 0.3]), targets: targets),
                    [-(Foundation.log(0.8) + Foundation.log(0.7)) / 2])
        expectClose(Functional.binaryCrossEntropy(t([0.8, 0.3]), targets: targets, reduction: .none),
                    [-Foundation.log(0.8), -Foundation.log(0.7)])
        func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
        let logitLosses = [-Foundation.log(sigmoid(0.5)), -Foundation.log(1 - sigmoid(-1))]
        expectClose(Functional.binaryCrossEntropyWithLogits(t([0.5, -1]), targets: targets, reduction: .none),
                    logitLosses)
        expectClose(Functional.binaryCrossEntropyWithLogits(t([0.5, -1]), targets: targets, reduction: .sum),
                    [logitLosses[0] + logitLosses[1]])
        // Stable where the probability form would overflow.
        expectClose(Functional.binaryCrossEntropyWithLogits(t([-200]), targets: t([1])), [200])
    }

    @Test(.drawsFromTheRandomGenerator) func meanSquaredError() {
        expectClose(Functional.mse(t([1, 2, 3]), t([1, 0, 0])), [13 / 3.0], shape: [])
        expectClose(Functional.mse(t([1, 2, 3]), t([1, 0, 0]), reduction: .sum), [13])
        expectClose(Functional.mse(t([1, 2, 3]), t([1, 0, 0]), reduction: .none), [0, 4, 9])
    }

    @Test(.drawsFromTheRandomGenerator) func similarityAndNormalisation() {
        expectClose(Functional.cosineSimilarity(t([1, 0, 1, 1], [2, 2]), t([0, 1, 2, 2], [2, 2])), [0, 1], shape: [2])
        expectClose(Functional.cosineSimilarity(t([3, 4], [1, 2]), t([4, 3], [1, 2])), [24 / 25.0])
        expectClose(Functional.normalize(t([3, 4, 0, 0], [2, 2])), [0.6, 0.8, 0, 0], shape: [2, 2])
        expectClose(Functional.normalize(t([3, 4, 0, 0], [2, 2]), p: 1, dim: 0), [1, 1, 0, 0])
        expectClose(Functional.pairwiseDistances(t([0, 0, 3, 4], [2, 2]), t([0, 0], [1, 2])), [0, 5], shape: [2, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func affineGridAndGridSample() {
        let input = Tensor.arange(12, dtype: .float64).reshaped([1, 1, 3, 4])
        let identity = t([1, 0, 0, 0, 1, 0], [1, 2, 3])
        for alignCorners in [false, true] {
            let grid = Functional.affineGrid(identity, size: [1, 1, 3, 4], alignCorners: alignCorners)
            #expect(grid.shape == [1, 3, 4, 2])
            let same = Functional.gridSample(input, grid: grid, alignCorners: alignCorners)
            expectClose(same, input.doubles, shape: [1, 1, 3, 4], atol: 1e-12)
        }
        let flip = t([-1, 0, 0, 0, 1, 0], [1, 2, 3])
        let flipped = Functional.gridSample(input, grid: Functional.affineGrid(flip, size: [1, 1, 3, 4]))
        expectClose(flipped, input.flipped([3]).doubles, atol: 1e-12)
        let nearest = Functional.gridSample(input, grid: Functional.affineGrid(flip, size: [1, 1, 3, 4]),
                                            mode: .nearest)
        expectClose(nearest, input.flipped([3]).doubles)
        // Shifted a whole image width to the right, everything samples outside: zeros, or the border column.
        let shift = t([1, 0, 2, 0, 1, 0], [1, 2, 3])
        let outside = Functional.affineGrid(shift, size: [1, 1, 3, 4])
        expectClose(Functional.gridSample(input, grid: outside), [Double](repeating: 0, count: 12))
        expectClose(Functional.gridSample(input, grid: outside, padding: .border),
                    [3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11])
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct LinearAlgebraTests {
    let spd = t([4, 2, 2, 3], [2, 2])

    @Test(.drawsFromTheRandomGenerator) func cholesky() {
        expectClose(spd.cholesky(), [2, 0, 1, (2.0).squareRoot()], shape: [2, 2], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func inverse() {
        expectClose(spd.inverse(), [3 / 8.0, -2 / 8.0, -2 / 8.0, 4 / 8.0], atol: 1e-12)
        expectClose(spd.matmul(spd.inverse()), [1, 0, 0, 1], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func signedLogDeterminant() {
        let (sign, logAbsDet) = spd.signedLogDeterminant()
        expectClose(sign, [1], shape: [])
        expectClose(logAbsDet, [Foundation.log(8.0)], atol: 1e-12)
        let swap = t([0, 2, 1, 0], [2, 2]).signedLogDeterminant()
        expectClose(swap.sign, [-1])
        expectClose(swap.logAbsDet, [Foundation.log(2.0)], atol: 1e-12)
        let batch = Tensor.stack([spd, spd * 2]).signedLogDeterminant()
        expectClose(batch.logAbsDet, [Foundation.log(8.0), Foundation.log(32.0)], atol: 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func triangularSolve() {
        let lower = t([2, 0, 1, 1], [2, 2])
        expectClose(lower.solveTriangular(t([2, 3], [2, 1]), upper: false), [1, 2], shape: [2, 1], atol: 1e-12)
        let upper = lower.T.contiguous()  // [[2, 1], [0, 1]]
        expectClose(upper.solveTriangular(t([4, 2], [2, 1]), upper: true), [1, 2], atol: 1e-12)
    }
}
