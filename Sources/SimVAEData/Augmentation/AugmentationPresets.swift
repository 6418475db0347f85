/// The augmentation pipelines of the SimVAE paper's official code (PAPER.md §5) and of SimCLR.
extension AugmentationPipeline {
    /// The authors' pipeline for `dataset`: a random resized crop (area 0.4…1 for MNIST-like data, 0.6…1 for
    /// natural images; aspect 0.75…1.3) and a flip with p = 0.5 along `flipAxis` (their code flips vertically);
    /// for natural images (CIFAR-10, CelebA, synthetic shapes, image folders) colour jitter 0.8, 0.8, 0.8, 0.2 on
    /// every view; for MNIST a threshold at 0.5 at the end.
    public static func paper(for dataset: Dataset, flipAxis: RandomFlip.Axis = .vertical) -> AugmentationPipeline {
        let flips = [RandomFlip(flipAxis)]
        switch dataset {
        case .mnist, .fashionMNIST:
            return AugmentationPipeline(crop: RandomResizedCrop(scale: 0.4 ... 1, ratio: 0.75 ... 1.3), flips: flips,
                                        threshold: dataset == .mnist ? 0.5 : nil)
        case .cifar10, .celeba, .synthetic, .folder:
            return AugmentationPipeline(
                crop: RandomResizedCrop(scale: 0.6 ... 1, ratio: 0.75 ... 1.3), flips: flips,
                colorJitter: ColorJitter(brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2))
        }
    }

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
