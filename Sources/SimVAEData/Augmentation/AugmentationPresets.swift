/// SimCLR's augmentation pipeline (the authors' pipelines belong to each dataset: `Dataset.paperAugmentation`).
extension AugmentationPipeline {
    /// SimCLR's pipeline for `imageSide`-pixel images: crop area 0.08…1 (aspect 3/4…4/3), horizontal flip, colour
    /// jitter 0.4, 0.4, 0.4, 0.1 with p = 0.8, grayscale with p = 0.2, and for images larger than 32 pixels a
    /// Gaussian blur (kernel about a tenth of the side, sigma 0.1…2, p = 0.5).
    public static func simclr(imageSide: Int) -> AugmentationPipeline {
        AugmentationPipeline(
            crop: RandomResizedCrop(), flips: [RandomFlip(.horizontal)],
            colorJitter: ColorJitter(brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1, probability: 0.8),
            grayscaleProbability: 0.2,
            blur: imageSide > 32 ? GaussianBlur(kernelSize: imageSide / 10 / 2 * 2 + 1) : nil)
    }
}
