import Testing
@testable import Torch

@Suite struct LossScalerTests {
    @Test func nonFiniteGradientsSkipTheStepAndHalveTheScale() {
        let p = parameter([1, 2])
        let sgd = SGD([p], learningRate: 0.5)
        let scaler = LossScaler(initialScale: 1_024)
        for bad in [Double.infinity, .nan] {
            setGradient(p, [bad, 1])
            #expect(!scaler.step(sgd))
            #expect(p.doubles == [1, 2], "a skipped step must leave the parameters alone")
        }
        #expect(scaler.scale == 256)
        #expect(scaler.skippedSteps == 2)
    }

    @Test func finiteGradientsAreUnscaledBeforeTheStep() {
        let p = parameter([1, 2])
        let scaler = LossScaler(initialScale: 8)
        let sgd = SGD([p], learningRate: 0.5)
        // As if backward had run on the scaled loss: gradients 8 times the true ones (1 and -2).
        setGradient(p, [8, -16])
        #expect(scaler.step(sgd))
        expectClose(p, [0.5, 3])
        #expect(scaler.scale == 8 && scaler.goodSteps == 1)
    }

    @Test func scaleGrowsAfterTheGrowthIntervalOfGoodStepsInARow() {
        let p = parameter([1])
        let sgd = SGD([p], learningRate: 0)
        let scaler = LossScaler(initialScale: 4, growthInterval: 3)
        for _ in 0..<2 {
            setGradient(p, [1])
            scaler.step(sgd)
        }
        #expect(scaler.scale == 4)
        setGradient(p, [.infinity])
        scaler.step(sgd)
        #expect(scaler.scale == 2 && scaler.goodSteps == 0, "a bad step restarts the count")
        for _ in 0..<3 {
            setGradient(p, [1])
            scaler.step(sgd)
        }
        #expect(scaler.scale == 4 && scaler.goodSteps == 0)
    }

    @Test func scaledLossIsTheLossTimesTheScale() {
        let scaler = LossScaler(initialScale: 16)
        #expect(scaler.scaled(Tensor(full: [], value: 3)).item == 48)
    }
}
