import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

@Test(.drawsFromTheRandomGenerator) func resNetEncoderMapsSmallAndCelebAImagesToItsHead() {
    Runtime.seed(1)
    for size in [32, 64] {
        let encoder = ResNetEncoder(imageSize: size, width: 4, head: 6)
        #expect(encoder(Tensor.rand([2, 3, size, size])).shape == [2, 6])
    }
    let headless = ResNetEncoder(width: 4, head: nil)
    #expect(headless.featureWidth == 32)
    #expect(headless(Tensor.rand([2, 3, 32, 32])).shape == [2, 32])
}

@Test(.drawsFromTheRandomGenerator) func resNetEncoderIsNamedLikeTorchvision() {
    let names = Set(ResNetEncoder(width: 4, head: 6).stateDict().keys)
    for name in ["conv1.weight", "bn1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer1.0.bn1.running_mean",
                 "layer1.1.bn2.num_batches_tracked", "layer2.0.downsample.0.weight",
                 "layer2.0.downsample.1.running_var", "layer4.1.conv2.weight", "fc.weight", "fc.bias"] {
        #expect(names.contains(name), "missing \(name)")
    }
    // torchvision's convolutions have no bias, and layer1 keeps its channels and resolution: no projection.
    #expect(!names.contains("conv1.bias") && !names.contains("layer1.0.downsample.0.weight"))
    #expect(!Set(ResNetEncoder(width: 4, head: nil).stateDict().keys).contains("fc.weight"))
}

@Test(.drawsFromTheRandomGenerator) func resNetStemKeeps32PixelsAndHalves64() {
    let small = ResNetEncoder(imageSize: 32, width: 4, head: nil)
    #expect(small.stemStride == 1)
    #expect(small.stem(Tensor.rand([1, 3, 32, 32])).shape == [1, 4, 32, 32])
    let celebA = ResNetEncoder(imageSize: 64, width: 4, head: nil)
    #expect(celebA.stemStride == 2)
    #expect(celebA.stem(Tensor.rand([1, 3, 64, 64])).shape == [1, 4, 32, 32])
}

@Test(.drawsFromTheRandomGenerator) func resNetBatchNormUsesBatchStatisticsOnlyInTraining() {
    Runtime.seed(2)
    let encoder = ResNetEncoder(width: 4, head: 3)
    let images = Tensor.rand([4, 3, 32, 32])
    let alone = images.narrowed(dim: 0, start: 0, length: 2)
    let runningMean = encoder.bn1.runningMean.clone()

    // Training: an image's output depends on the rest of the batch, and the running statistics move.
    let trainingGap = (encoder(images).narrowed(dim: 0, start: 0, length: 2) - encoder(alone)).abs().max().item
    #expect(trainingGap > 1e-4)
    #expect((encoder.bn1.runningMean - runningMean).abs().max().item > 0)

    // Evaluation: the running statistics are used and left alone, so the batch no longer matters.
    encoder.eval()
    let frozenMean = encoder.bn1.runningMean.clone()
    let evaluationGap = (encoder(images).narrowed(dim: 0, start: 0, length: 2) - encoder(alone)).abs().max().item
    #expect(evaluationGap < 1e-5)
    #expect((encoder.bn1.runningMean - frozenMean).abs().max().item == 0)
}
