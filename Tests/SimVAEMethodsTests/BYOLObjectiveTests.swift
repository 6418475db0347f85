import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

private func tinyBYOL(momentum: Double = 0.9) -> BYOL {
    BYOL(makeEncoder: { MLP(widths: [4, 3]) }, representationWidth: 3, projectionWidths: [6, 2],
         predictorHiddenWidth: 5, momentum: momentum)
}

/// cos(a, b) of two plain vectors.
private func cosine(_ a: [Double], _ b: [Double]) -> Double {
    func dot(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }
    return dot(a, b) / (dot(a, a) * dot(b, b)).squareRoot()
}

/// BYOL's loss written out pair by pair: for every ordered pair of distinct views (i, j), 2 − 2·cos(p_i, z_j)
/// averaged over sets; the sum over ordered pairs divided by the number of unordered ones.
/// `predictions[j][b]` and `targets[j][b]` belong to view j of set b.
private func pairByPairLoss(predictions: [[[Double]]], targets: [[[Double]]]) -> Double {
    let views = predictions.count, sets = predictions[0].count
    var total = 0.0
    for i in 0..<views {
        for j in 0..<views where j != i {
            total += (0..<sets).map { 2 - 2 * cosine(predictions[i][$0], targets[j][$0]) }.reduce(0, +) / Double(sets)
        }
    }
    return total / Double(views * (views - 1) / 2)
}

/// Rows of a 2-D tensor as plain vectors.
private func rows(_ tensor: Tensor) -> [[Double]] {
    let values = tensor.floats.map(Double.init), width = tensor.size(1)
    return (0..<tensor.size(0)).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
}

@Test(.drawsFromTheRandomGenerator) func byolLossMatchesThePairByPairFormula() {
    Runtime.seed(21)
    let predictions = (0..<4).map { _ in Tensor.randn([5, 3]) }, targets = (0..<4).map { _ in Tensor.randn([5, 3]) }
    let loss = BYOLLoss.loss(predictions: predictions, targets: targets).item
    let expected = pairByPairLoss(predictions: predictions.map(rows), targets: targets.map(rows))
    #expect(Swift.abs(loss - expected) < 1e-5)
}

@Test(.drawsFromTheRandomGenerator) func byolLossIsZeroForAlignedAndEightForOppositeViews() {
    // Predictions along the targets of the other view (any positive scale) cost nothing; opposite ones cost
    // 2 − 2·(−1) = 4 in each direction of the pair.
    let a = Tensor([1, 2, -3, 0.5] as [Double], shape: [2, 2]), b = a * 4
    #expect(Swift.abs(BYOLLoss.loss(predictions: [a, b], targets: [b * 0.5, a * 3]).item) < 1e-12)
    #expect(Swift.abs(BYOLLoss.loss(predictions: [a, b], targets: [b * -1, a * -2]).item - 8) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func byolLossOfHandSetNetworksMatchesTheClosedForm() throws {
    // Encoder reads pixels 0 and 1; projector Linear(I)–BN–ReLU–Linear(I); predictor swaps the two coordinates,
    // then maps (u, v) to (u, u + v); the target encoder reads pixels 2 and 3 through the same projector. In
    // evaluation mode batch norm with its initial statistics only scales by 1/√(1 + ε), which cosines ignore,
    // and all values stay positive through the ReLUs: p ∝ (x₁, x₀ + x₁) and z ∝ (x₂, x₃). Momentum 1 keeps
    // the hand-set target network as it is.
    let model = BYOL(makeEncoder: { MLP(widths: [4, 2]) }, representationWidth: 2, projectionWidths: [2, 2],
                     predictorHiddenWidth: 2, momentum: 1)
    func matrix(_ values: [Float], rows: Int) -> Tensor { Tensor(values, shape: [rows, values.count / rows]) }
    let identity = matrix([1, 0, 0, 1], rows: 2), noBias = Tensor(zeros: [2])
    var state: [String: Tensor] = [
        "encoder.layers.0.weight": matrix([1, 0, 0, 0, 0, 1, 0, 0], rows: 2),
        "target_encoder.layers.0.weight": matrix([0, 0, 1, 0, 0, 0, 0, 1], rows: 2),
        "predictor.layers.0.weight": matrix([0, 1, 1, 0], rows: 2),
        "predictor.layers.3.weight": matrix([1, 0, 1, 1], rows: 2),
    ]
    for prefix in ["head", "target_head"] {
        for layer in [0, 3] { state["\(prefix).layers.\(layer).weight"] = identity }
    }
    for name in model.stateDict().keys where name.hasSuffix("bias") { state[name] = noBias }
    try model.load(stateDict: state, strict: false)
    model.eval()
    // Two sets of three views, set-major: pixels of view j of set b.
    let pixels: [[[Double]]] = [
        [[0.2, 0.9, 0.4, 0.1], [0.7, 0.3, 0.6, 0.8], [0.5, 0.5, 0.1, 0.9]],
        [[0.9, 0.1, 0.3, 0.3], [0.4, 0.6, 0.9, 0.2], [0.8, 0.7, 0.2, 0.5]],
    ]
    let output = model.loss(images: HandSetNetworks.images(pixels.flatMap { $0 }), views: 3)
    let predictions = (0..<3).map { j in pixels.map { [$0[j][1], $0[j][0] + $0[j][1]] } }
    let targets = (0..<3).map { j in pixels.map { [$0[j][2], $0[j][3]] } }
    let expected = pairByPairLoss(predictions: predictions, targets: targets)
    #expect(Swift.abs(output.loss.item - expected) < 1e-5)
    #expect(Swift.abs(output.terms["prediction"]!.item - expected) < 1e-5)
}

@Test(.drawsFromTheRandomGenerator) func byolTargetNetworkIsStateThatGetsNoGradient() {
    Runtime.seed(22)
    let model = tinyBYOL()
    #expect(Method.byol.minimumViews == 2)
    let parameterNames = model.namedParameters().map(\.0)
    #expect(parameterNames.allSatisfy { ["encoder.", "head.", "predictor."].contains(where: $0.hasPrefix) })
    let state = model.stateDict()
    for key in ["target_encoder.layers.0.weight", "target_head.layers.0.weight", "target_head.layers.1.running_mean"] {
        #expect(state[key] != nil, "\(key) missing from the state dict")
    }
    model.loss(images: Tensor.rand([4 * 2, 1, 2, 2]), views: 2).loss.backward()
    #expect(model.parameters().allSatisfy { $0.grad != nil })
    let targetTensors = model.targetEncoder.namedTensors() + model.targetHead.namedTensors()
    #expect(targetTensors.count == 9 + 2)
    #expect(targetTensors.allSatisfy { !$0.1.requiresGrad && $0.1.grad == nil })
    #expect(model.representation(Tensor.rand([3, 1, 2, 2])).shape == [3, 3])
}

@Test(.drawsFromTheRandomGenerator) func byolMovesTheTargetOncePerStepBeforeItsForwardPass() {
    Runtime.seed(23)
    let momentum = 0.9
    let model = tinyBYOL(momentum: momentum)
    let optimizer = SGD(model.parameters(), learningRate: 0.5)
    let images = Tensor.rand([4 * 3, 1, 2, 2])
    model.loss(images: images, views: 3).loss.backward()
    optimizer.step()
    let targetBefore = model.stateDict().filter { $0.key.hasPrefix("target_") }.mapValues { $0.clone() }
    let online = Dictionary(uniqueKeysWithValues: model.namedParameters())
    _ = model.loss(images: images, views: 3)
    let targetAfter = model.stateDict()
    var moved = 0
    for (name, before) in targetBefore {
        let onlineName = String(name.dropFirst("target_".count))
        guard let onlineTensor = online[onlineName] else { continue }
        let expected = before * momentum + onlineTensor * (1 - momentum)
        #expect((targetAfter[name]! - expected).abs().max().item < 1e-6, "\(name) moved wrongly")
        moved += 1
    }
    #expect(moved == 2 + 6)
}

@Test(.drawsFromTheRandomGenerator) func byolLossFallsOnAFixedBatch() {
    Runtime.seed(24)
    let losses = lossesTrainingOnOneBatch(tinyBYOL(momentum: 0.99), images: Tensor.rand([8 * 2, 1, 2, 2]), views: 2,
                                          steps: 30)
    #expect(losses.last < 0.5 * losses.first, "the loss went from \(losses.first) to \(losses.last)")
}
