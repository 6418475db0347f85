import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

private func tinyMoCo(queueSize: Int = 5, momentum: Double = 0.9) -> MoCo {
    MoCo(makeEncoder: { MLP(widths: [4, 3]) }, representationWidth: 3, headWidths: [6, 2], queueSize: queueSize,
         momentum: momentum, temperature: 0.2)
}

@Test(.drawsFromTheRandomGenerator) func keyNetworkStartsAsACopyAndIsStateNotParameters() {
    Runtime.seed(7)
    let model = tinyMoCo()
    let names = Set(model.namedParameters().map(\.0))
    #expect(names.allSatisfy { $0.hasPrefix("encoder.") || $0.hasPrefix("head.") })
    let state = model.stateDict()
    for key in ["key_encoder.layers.0.weight", "key_head.layers.0.weight", "queue", "queue_pointer"] {
        #expect(state[key] != nil, "\(key) missing from the state dict")
    }
    for (name, query) in model.encoder.namedTensors() {
        #expect((state["key_encoder." + name]! - query).abs().max().item == 0)
    }
}

@Test(.drawsFromTheRandomGenerator) func momentumUpdateMovesTheKeyNetworkByOneMinusMOfTheDifference() {
    Runtime.seed(8)
    let momentum = 0.9
    let model = tinyMoCo(momentum: momentum)
    withNoGrad { for parameter in model.parameters() { parameter.add_(parameter.randnLike()) } }
    let query = Dictionary(uniqueKeysWithValues: (model.encoder.namedTensors().map { ("key_encoder." + $0.0, $0.1) }
        + model.head.namedTensors().map { ("key_head." + $0.0, $0.1) }).filter { $0.1.requiresGrad })
    let before = model.stateDict().mapValues { $0.clone() }
    model.updateKeyNetwork()
    let after = model.stateDict()
    for (name, queryTensor) in query {
        let expected = (queryTensor - before[name]!) * (1 - momentum)
        let moved = after[name]! - before[name]!
        #expect((moved - expected).abs().max().item < 1e-6, "\(name) moved wrongly")
    }
    #expect(query.count == 8)
}

@Test(.drawsFromTheRandomGenerator) func queueIsFIFOOfItsSize() {
    let model = tinyMoCo(queueSize: 5)
    func keys(_ values: [Float]) -> Tensor { Tensor(values.flatMap { [$0, -$0] }, shape: [values.count, 2]) }
    model.enqueue(keys([1, 2]))
    model.enqueue(keys([3, 4]))
    model.enqueue(keys([5, 6]))
    // Rows 0…4 after writing 1…6 into 5 slots: 6 overwrote 1, the oldest.
    #expect(model.queue.selected(dim: 1, index: 0).floats == [6, 2, 3, 4, 5])
    #expect(model.queuePointer.item == 1)
    #expect(model.queue.shape == [5, 2])
    // A batch larger than the queue leaves its newest keys, in order from the pointer on.
    model.enqueue(keys([7, 8, 9, 10, 11, 12, 13]))
    #expect(model.queue.selected(dim: 1, index: 0).floats == [11, 12, 13, 9, 10])
    #expect(model.queuePointer.item == 3)
}

@Test(.drawsFromTheRandomGenerator) func moCoLossMatchesTheClosedForm() {
    // One query equal to its key, one orthogonal negative: −log(e^{1/τ} / (e^{1/τ} + 1)) = log(1 + e^{−1/τ}).
    let temperature = 0.2
    let e1 = Tensor([1, 0] as [Double], shape: [1, 2]), e2 = Tensor([0, 1] as [Double], shape: [1, 2])
    let loss = MoCoLoss.loss(queries: e1, keys: e1, negatives: e2, temperature: temperature).item
    #expect(Swift.abs(loss - log(1 + exp(-1 / temperature))) < 1e-12)
}

@Test(.drawsFromTheRandomGenerator) func moCoStepUpdatesTheKeysThenEnqueuesThem() {
    Runtime.seed(9)
    let model = tinyMoCo(queueSize: 6)
    let output = model.loss(images: Tensor.rand([3 * 2, 1, 2, 2]), views: 2)
    output.loss.backward()
    #expect(output.loss.item.isFinite)
    #expect(model.queuePointer.item == 3)
    #expect(model.parameters().allSatisfy { $0.grad != nil })
}
