import Foundation
import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct AutogradTests {
    @Test(.drawsFromTheRandomGenerator) func requiresGradAndLeaves() {
        let x = t([1, 2])
        #expect(!x.requiresGrad && x.isLeaf)
        x.requiresGrad = true
        #expect(x.requiresGrad)
        let y = x * 2
        #expect(y.requiresGrad && !y.isLeaf)
        #expect(x.grad == nil)
        x.requiringGrad(false)
        #expect(!x.requiresGrad && !(x * 2).requiresGrad)
    }

    @Test(.drawsFromTheRandomGenerator) func backwardWithAnExplicitGradient() {
        let x = t([1, 2, 3]).requiringGrad()
        (x * x).backward(t([1, 0.5, -1]))  // d/dx (x²)·v = 2x·v
        expectClose(x.grad!, [2, 2, -6])
    }

    @Test(.drawsFromTheRandomGenerator) func gradientsAccumulateUntilZeroed() {
        let x = t([1, 2]).requiringGrad()
        (x * 3).sum().backward()
        (x * x).sum().backward()
        expectClose(x.grad!, [3 + 2, 3 + 4])
        x.zeroGrad()
        #expect(x.grad == nil)
        (x * 3).sum().backward()
        expectClose(x.grad!, [3, 3])
        x.grad = t([7, 7])
        expectClose(x.grad!, [7, 7])
    }

    @Test(.drawsFromTheRandomGenerator) func retainGraphAllowsASecondBackward() {
        let x = t([2]).requiringGrad()
        let y = (x * x * x).sum()
        y.backward(retainGraph: true)
        y.backward()
        expectClose(x.grad!, [24])
    }

    @Test(.drawsFromTheRandomGenerator) func detachedStopsGradients() {
        let x = t([1, 2]).requiringGrad()
        let frozen = x.detached()
        #expect(!frozen.requiresGrad)
        (x * frozen).sum().backward()  // only the first factor carries a gradient
        expectClose(x.grad!, [1, 2])
        #expect(frozen.grad == nil)
        // The detached tensor shares memory with the original.
        withNoGrad { frozen.add_(10) }
        expectClose(x, [11, 12])
    }

    @Test(.drawsFromTheRandomGenerator) func noGradRecordsNothingAndRestoresTheMode() throws {
        let x = t([1, 2]).requiringGrad()
        #expect(isGradEnabled)
        let y = withNoGrad {
            #expect(!isGradEnabled)
            let inner = withNoGrad { x * 2 }
            #expect(!isGradEnabled)  // the nested scope restored the outer, disabled mode
            return inner + x
        }
        #expect(!y.requiresGrad)
        #expect(isGradEnabled)
        struct Failure: Error {}
        #expect(throws: Failure.self) { try withNoGrad { throw Failure() } }
        #expect(isGradEnabled)  // restored on a throw too
        #expect((x * 2).requiresGrad)
    }

    @Test(.drawsFromTheRandomGenerator) func clonesCarryGradientsAndInPlaceOpsWork() {
        let x = t([1, 2]).requiringGrad()
        (x.clone() * 4).sum().backward()
        expectClose(x.grad!, [4, 4])
        let y = t([1, 2, 3])
        y.mul_(2).add_(1)
        expectClose(y, [3, 5, 7])
        y.addcmul_(t([1, 1, 1]), t([2, 2, 2]), value: 0.5).addcdiv_(t([4, 4, 4]), t([2, 2, 2]), value: -1)
        expectClose(y, [2, 4, 6])
        y.lerp_(t([4, 4, 4]), weight: 0.5)
        expectClose(y, [3, 4, 5])
        y.add_(t([1, 1, 1]), alpha: -2)
        expectClose(y, [1, 2, 3])
        y.copy_(t([9]))
        expectClose(y, [9, 9, 9])
        y.fill_(2)
        expectClose(y, [2, 2, 2])
        y.zero_()
        expectClose(y, [0, 0, 0])
    }
}
