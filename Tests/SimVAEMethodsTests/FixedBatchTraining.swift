import Torch
@testable import SimVAEMethods

/// The loss of `model` on one fixed batch at its first step and after `steps` more Adam steps on that batch,
/// for learning sanity tests.
func lossesTrainingOnOneBatch(_ model: some Objective, images: Tensor, views: Int, steps: Int,
                              learningRate: Double = 0.01) -> (first: Double, last: Double) {
    let optimizer = Adam(model.parameters(), learningRate: learningRate)
    func step() -> Double {
        optimizer.zeroGrad()
        let loss = model.loss(images: images, views: views).loss
        loss.backward()
        optimizer.step()
        return loss.item
    }
    let first = step()
    for _ in 0..<(steps - 1) { _ = step() }
    return (first, step())
}
