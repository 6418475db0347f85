import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

@Test(.drawsFromTheRandomGenerator) func resNetDecoderMakes32And64PixelImages() {
    Runtime.seed(1)
    for size in [32, 64] {
        let decoder = ResNetDecoder(latents: 5, imageSize: size, width: 4)
        #expect(decoder(Tensor.randn([2, 5])).shape == [2, 3, size, size])
    }
    #expect(ResNetDecoder(latents: 5, channels: 1, width: 4)(Tensor.randn([3, 5])).shape == [3, 1, 32, 32])
}

@Test(.drawsFromTheRandomGenerator) func resNetDecoderPassesGradientsToItsFirstLayer() {
    Runtime.seed(2)
    let decoder = ResNetDecoder(latents: 5, width: 4)
    let names = Set(decoder.stateDict().keys)
    #expect(names.isSuperset(of: ["fc.weight", "layer4.1.downsample.0.weight", "layer1.1.bn2.running_var",
                                  "conv1.bias"]))
    decoder(Tensor.randn([2, 5])).squared().mean().backward()
    let gradient = decoder.fc.weight.grad
    #expect(gradient != nil)
    #expect((gradient?.abs().sum().item ?? 0) > 0)
}
