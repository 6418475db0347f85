import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct MemoryFormatTests {
    @Test func channelsLastKeepsShapeAndValuesAndChangesTheLayout() {
        let images = Tensor.arange(0, 2 * 3 * 4 * 5).reshaped([2, 3, 4, 5])
        let converted = images.channelsLast
        #expect(converted.shape == images.shape)
        #expect(!converted.isContiguous, "channels-last is not the default contiguous layout")
        #expect(converted.floats == images.floats)
        #expect(Tensor.arange(0, 6).channelsLast.isContiguous, "tensors of another rank are left alone")
    }

    @Test func aModuleConvertedInPlaceComputesTheSameAndKeepsItsParameters() {
        let convolution = Conv2d(3, 4, kernelSize: 3)
        let before = convolution.parameters()
        let input = Tensor.randn([2, 3, 8, 8])
        let expected = convolution(input)
        convolution.convertToChannelsLast()
        #expect(zip(before, convolution.parameters()).allSatisfy { $0 === $1 && $0.requiresGrad })
        #expect(!convolution.weight.isContiguous)
        #expect((convolution(input.channelsLast) - expected).abs().max().item < 1e-5)
    }
}
