import Foundation
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// Adds noise to every tensor of `module`, parameters and floating buffers alike (the int64 counter excepted).
private func perturb(_ module: Module) {
    withNoGrad {
        for (_, tensor) in module.namedTensors() where tensor.dtype != .int64 { tensor.add_(tensor.randnLike()) }
    }
}

/// The largest absolute entry of `a − b`.
private func largestDifference(_ a: Tensor, _ b: Tensor) -> Double { (a - b).abs().max().item }

@Test(.drawsFromTheRandomGenerator) func momentumNetworkStartsAsACopyWithoutGradients() {
    Runtime.seed(11)
    let online = ProjectionHead(inputs: 3, widths: [4, 2]), target = ProjectionHead(inputs: 3, widths: [4, 2])
    perturb(online)
    _ = MomentumNetwork(online: [online], target: [target], momentum: 0.9)
    let onlineTensors = Dictionary(uniqueKeysWithValues: online.namedTensors())
    #expect(onlineTensors.count == 9)
    for (name, tensor) in target.namedTensors() {
        #expect(largestDifference(tensor, onlineTensors[name]!) == 0, "\(name) is not a copy")
        #expect(!tensor.requiresGrad, "\(name) still takes gradients")
    }
    #expect(target.parameters().isEmpty)
    #expect(online.parameters().count == 6)
}

@Test(.drawsFromTheRandomGenerator) func momentumUpdateIsTheMovingAverageOfParametersOnly() {
    Runtime.seed(12)
    let momentum = 0.75
    let online = [MLP(widths: [3, 2]), ProjectionHead(inputs: 2, widths: [3, 2])] as [Module]
    let target = [MLP(widths: [3, 2]), ProjectionHead(inputs: 2, widths: [3, 2])] as [Module]
    let network = MomentumNetwork(online: online, target: target, momentum: momentum)
    online.forEach(perturb)
    let before = target.map { $0.stateDict().mapValues { $0.clone() } }
    network.update()
    var parametersChecked = 0
    for (onlineModule, (targetModule, targetBefore)) in zip(online, zip(target, before)) {
        let onlineTensors = Dictionary(uniqueKeysWithValues: onlineModule.namedTensors())
        for (name, tensor) in targetModule.namedTensors() {
            let onlineTensor = onlineTensors[name]!
            if onlineTensor.requiresGrad {
                let expected = targetBefore[name]! * momentum + onlineTensor * (1 - momentum)
                #expect(largestDifference(tensor, expected) < 1e-6, "\(name) moved wrongly")
                #expect(largestDifference(tensor, targetBefore[name]!) > 0, "\(name) did not move")
                parametersChecked += 1
            } else {
                #expect(largestDifference(tensor, targetBefore[name]!) == 0, "the buffer \(name) changed")
            }
        }
    }
    #expect(parametersChecked == 2 + 6)
}
