import Testing
import Torch
@testable import SimVAEData

/// Small colour images in [0, 1] for augmentation tests.
private func colourBatch(count: Int = 6, side: Int = 16) -> Tensor {
    SyntheticShapes.generate(count: count, size: side, seed: 11).images.pixelTensor().to(.float32) / 255
}

/// The largest absolute difference between two tensors.
private func distance(_ a: Tensor, _ b: Tensor) -> Double { (a - b).abs().max().item }

@Suite struct AugmentationTests {
    private let everything = AugmentationPipeline(
        crop: RandomResizedCrop(scale: 0.2 ... 1), flips: [RandomFlip(.horizontal), RandomFlip(.vertical)],
        colorJitter: ColorJitter(brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2, probability: 0.8),
        grayscaleProbability: 0.3, blur: GaussianBlur(kernelSize: 3))

    @Test func identityParametersGiveTheInputBack() {
        let images = colourBatch()
        for pipeline in [everything, Dataset.cifar10.paperAugmentation(), .simclr(imageSide: 64)] {
            let output = pipeline.apply(images, parameters: .identity(count: images.size(0)))
            #expect(output.shape == images.shape)
            #expect(distance(output, images) < 1e-5)
        }
    }

    @Test func aFlipTwiceIsTheIdentityAndMirrorsThePixels() {
        let images = colourBatch()
        let pipeline = AugmentationPipeline(flips: [RandomFlip(.horizontal)])
        for axis in RandomFlip.Axis.allCases {
            var flip = AugmentationParameters.identity(count: images.size(0))
            switch axis {
            case .horizontal: flip.horizontalFlip = Array(repeating: true, count: flip.count)
            case .vertical: flip.verticalFlip = Array(repeating: true, count: flip.count)
            }
            let once = pipeline.apply(images, parameters: flip)
            #expect(distance(once, images.flipped([axis == .horizontal ? 3 : 2])) < 1e-5)
            #expect(distance(pipeline.apply(once, parameters: flip), images) < 1e-5)
        }
    }

    @Test func aCropBoxResizedToItsOwnSizeIsThePlainCrop() {
        let images = colourBatch(count: 2)
        var box = AugmentationParameters.identity(count: 2)
        // Rows 2 ..< 10, columns 3 ..< 11 of a 16×16 image.
        box.cropCentreX = Array(repeating: 7.0 / 16, count: 2)
        box.cropCentreY = Array(repeating: 6.0 / 16, count: 2)
        box.cropWidth = Array(repeating: 0.5, count: 2)
        box.cropHeight = Array(repeating: 0.5, count: 2)
        let output = AugmentationPipeline(crop: RandomResizedCrop(), outputSize: [8, 8]).apply(images, parameters: box)
        #expect(distance(output, images.sliced(dim: 2, 2 ..< 10).sliced(dim: 3, 3 ..< 11)) < 1e-5)
    }

    @Test(arguments: [0.08 ... 1.0, 0.4 ... 1.0, 0.9 ... 1.0])
    func cropsStayInsideTheImageWithinTheirRanges(scale: ClosedRange<Double>) {
        let crop = RandomResizedCrop(scale: scale, ratio: 0.75 ... 1.3)
        var random = SplitMix64(seed: 5)
        let parameters = AugmentationPipeline(crop: crop).sampleParameters(count: 500, height: 28, width: 28,
                                                                          using: &random)
        let aspects = parameters.cropAspect(inputHeight: 28, inputWidth: 28)
        for view in 0 ..< parameters.count {
            let halfWidth = parameters.cropWidth[view] / 2, halfHeight = parameters.cropHeight[view] / 2
            #expect(parameters.cropCentreX[view] - halfWidth >= 0 && parameters.cropCentreX[view] + halfWidth <= 1)
            #expect(parameters.cropCentreY[view] - halfHeight >= 0 && parameters.cropCentreY[view] + halfHeight <= 1)
            // Whole-pixel boxes: the area and aspect may miss their ranges by the rounding of one pixel.
            #expect(parameters.cropScale[view] >= scale.lowerBound - 2.0 / 28 && parameters.cropScale[view] <= 1)
            #expect(aspects[view] > 0.75 - 0.1 && aspects[view] < 1.3 + 0.1)
        }
        let augmented = AugmentationPipeline(crop: crop).augment(colourBatch(), using: &random).images
        #expect(augmented.min().item >= 0 && augmented.max().item <= 1)
    }

    @Test func theReturnedParametersReproduceTheOutput() {
        let images = colourBatch()
        var random = SplitMix64(seed: 21)
        let (output, parameters) = everything.augment(images, using: &random)
        #expect(distance(everything.apply(images, parameters: parameters), output) == 0)
        #expect(output.min().item >= 0 && output.max().item <= 1)
        #expect(parameters.styleTargets(inputHeight: 16, inputWidth: 16).shape
            == [images.size(0), AugmentationParameters.styleTargetNames.count])
    }

    @Test func theSameSeedGivesTheSameBatch() {
        let images = colourBatch()
        var first = SplitMix64(seed: 3), again = SplitMix64(seed: 3), other = SplitMix64(seed: 4)
        let a = everything.augment(images, using: &first)
        let b = everything.augment(images, using: &again)
        let c = everything.augment(images, using: &other)
        #expect(a.parameters == b.parameters && distance(a.images, b.images) == 0)
        #expect(a.parameters != c.parameters)
    }

    @Test func colourAdjustmentsFollowTheirDefinitions() {
        let red = Tensor([1, 0, 0] as [Float], shape: [1, 3, 1, 1]).expanded(to: [1, 3, 4, 4]).contiguous()
        let pipeline = AugmentationPipeline(colorJitter: ColorJitter(brightness: 0, contrast: 0, saturation: 0,
                                                                     hue: 0.5))
        var shift = AugmentationParameters.identity(count: 1)
        shift.hue = [1.0 / 3]
        let green = pipeline.apply(red, parameters: shift)
        #expect(distance(green.mean(dims: [2, 3]), Tensor([0, 1, 0] as [Float], shape: [1, 3])) < 1e-5)
        var dim = AugmentationParameters.identity(count: 1)
        dim.brightness = [0.5]
        #expect(distance(pipeline.apply(red, parameters: dim), red * 0.5) < 1e-6)
        var grey = AugmentationParameters.identity(count: 1)
        grey.grayscale = [true]
        let turned = pipeline.apply(red, parameters: grey)
        #expect(distance(turned, Tensor(full: [1, 3, 4, 4], value: 0.2989)) < 1e-5)
    }

    @Test func blurKeepsFlatImagesAndThresholdBinarises() {
        let flat = Tensor(full: [2, 3, 8, 8], value: 0.25)
        var blurred = AugmentationParameters.identity(count: 2)
        blurred.blurSigma = [1.5, 0]
        #expect(distance(everything.apply(flat, parameters: blurred), flat) < 1e-6)
        let mnist = Dataset.mnist.paperAugmentation()
        var random = SplitMix64(seed: 8)
        let binary = mnist.augment(colourBatch().mean(dim: 1, keepDims: true), using: &random).images
        #expect(((binary .== 0).logicalOr(binary .== 1)).all())
    }

    @Test func unusableSettingsAreErrors() {
        let broken = [
            AugmentationPipeline(crop: RandomResizedCrop(scale: 0 ... 1)),
            AugmentationPipeline(flips: [RandomFlip(.vertical, probability: 2)]),
            AugmentationPipeline(colorJitter: ColorJitter(brightness: 0, contrast: 0, saturation: 0, hue: 0.7)),
            AugmentationPipeline(blur: GaussianBlur(kernelSize: 4)),
            AugmentationPipeline(outputSize: [0, 28]),
        ]
        for pipeline in broken {
            #expect(throws: DataError.self) { try pipeline.validate() }
        }
    }
}
