import Torch

/// A random augmentation of image batches, run as tensor programs on whole batches: a random resized crop and
/// flips (one affine map per view), colour jitter, random grayscale, Gaussian blur and a binarising threshold, in
/// that order (torchvision's usual order); every stage is optional.
///
/// Random parameters are drawn in Swift from a `SplitMix64` the caller seeds, so a batch is reproducible whatever
/// the thread count or device, and they are returned with the images (`augment(_:using:)`). `apply(_:parameters:)`
/// runs given parameters, which reproduces an augmentation exactly.
public struct AugmentationPipeline: Sendable, Equatable {
    /// The random resized crop, or nil for none (the whole image).
    public var crop: RandomResizedCrop?
    /// Random flips, drawn in order; two flips along one axis cancel out.
    public var flips: [RandomFlip]
    /// The colour jitter, or nil for none.
    public var colorJitter: ColorJitter?
    /// The chance that a view is turned grey (luma copied to every channel).
    public var grayscaleProbability: Double
    /// The Gaussian blur, or nil for none.
    public var blur: GaussianBlur?
    /// Pixels above this value become 1 and the others 0, after everything else; nil for no threshold.
    public var threshold: Double?
    /// The output's [height, width], or nil to keep the input's size.
    public var outputSize: [Int]?

    /// Creates a pipeline from its stages; with no arguments it changes nothing.
    public init(crop: RandomResizedCrop? = nil, flips: [RandomFlip] = [], colorJitter: ColorJitter? = nil,
                grayscaleProbability: Double = 0, blur: GaussianBlur? = nil, threshold: Double? = nil,
                outputSize: [Int]? = nil) {
        self.crop = crop
        self.flips = flips
        self.colorJitter = colorJitter
        self.grayscaleProbability = grayscaleProbability
        self.blur = blur
        self.threshold = threshold
        self.outputSize = outputSize
    }

    /// Throws a `DataError` naming the first unusable setting (a range out of bounds, a probability outside
    /// [0, 1], an even blur kernel, a non-positive output size).
    public func validate() throws {
        try crop?.validate()
        try colorJitter?.validate()
        try blur?.validate()
        let probabilities = flips.map(\.probability) + [grayscaleProbability, colorJitter?.probability ?? 0,
                                                        blur?.probability ?? 0]
        guard probabilities.allSatisfy({ (0 ... 1).contains($0) }) else {
            throw DataError("augmentation probabilities must lie in [0, 1], got \(probabilities)")
        }
        if let outputSize, outputSize.count != 2 || outputSize.contains(where: { $0 < 1 }) {
            throw DataError("the augmentation output size must be [height, width] with positive sides, got \(outputSize)")
        }
    }

    /// Draws the parameters of `count` views of `height`×`width` images, view after view.
    public func sampleParameters(count: Int, height: Int, width: Int,
                                 using random: inout SplitMix64) -> AugmentationParameters {
        var parameters = AugmentationParameters.identity(count: count)
        for view in 0 ..< count {
            if let crop {
                let box = crop.sampleBox(height: height, width: width, using: &random)
                parameters.cropCentreX[view] = (Double(box.left) + Double(box.width) / 2) / Double(width)
                parameters.cropCentreY[view] = (Double(box.top) + Double(box.height) / 2) / Double(height)
                parameters.cropWidth[view] = Double(box.width) / Double(width)
                parameters.cropHeight[view] = Double(box.height) / Double(height)
            }
            for flip in flips where random.chance(flip.probability) {
                switch flip.axis {
                case .horizontal: parameters.horizontalFlip[view].toggle()
                case .vertical: parameters.verticalFlip[view].toggle()
                }
            }
            colorJitter?.sample(into: &parameters, view: view, using: &random)
            if grayscaleProbability > 0 { parameters.grayscale[view] = random.chance(grayscaleProbability) }
            if let blur { parameters.blurSigma[view] = blur.sampleSigma(using: &random) }
        }
        return parameters
    }

    /// Augments float images [N, C, H, W] with values in [0, 1]: draws every view's parameters from `random`, then
    /// applies them. Returns the augmented images (float32, [N, C, H', W'] in [0, 1]) and the parameters.
    public func augment(_ images: Tensor, using random: inout SplitMix64)
        -> (images: Tensor, parameters: AugmentationParameters)
    {
        let parameters = sampleParameters(count: images.size(0), height: images.size(2), width: images.size(3),
                                          using: &random)
        return (apply(images, parameters: parameters), parameters)
    }

    /// Applies given per-view parameters (one per row of `images`) with this pipeline's output size, blur kernel
    /// and threshold.
    /// Stages whose parameters are all identity are skipped, except the resampling when the pipeline crops or flips,
    /// so that identity parameters go through the same arithmetic as random ones.
    public func apply(_ images: Tensor, parameters: AugmentationParameters) -> Tensor {
        precondition(parameters.count == images.size(0),
                     "\(parameters.count) views of parameters for a batch of \(images.size(0)) images")
        return withNoGrad {
            let (height, width) = (outputSize?[0] ?? images.size(2), outputSize?[1] ?? images.size(3))
            let moves = crop != nil || !flips.isEmpty || parameters.horizontalFlip.contains(true)
                || parameters.verticalFlip.contains(true) || parameters.cropWidth.contains { $0 != 1 }
                || parameters.cropHeight.contains { $0 != 1 }
            var result = images
            if moves || height != images.size(2) || width != images.size(3) {
                result = Geometry.apply(result, parameters: parameters, height: height, width: width)
            }
            result = ColorJitter.apply(result, parameters: parameters)
            let grey = parameters.grayscale.indices.filter { parameters.grayscale[$0] }
            if !grey.isEmpty, result.size(1) == 3 {
                result = result.updatingRows(grey) { ColorSpace.luma($0).expanded(to: [-1, 3, -1, -1]) }
            }
            if let blur { result = blur.apply(result, sigmas: parameters.blurSigma) }
            if let threshold { result = (result .> threshold).to(.float32) }
            return result
        }
    }
}
