extension Dataset {
    /// CIFAR-10's binary version: 50 000 training and 10 000 test images of 32×32 colour pixels, 10 classes.
    public static let cifar10 = Dataset(
        name: "cifar10",
        location: .searched(expectedFiles: CIFAR10.fileNames(for: .train).map { [$0] } + [["test_batch.bin"]],
                            subfolders: ["cifar-10-batches-bin"]),
        howToGet: "run `simvae data fetch --dataset cifar10` (downloads and unpacks cifar-10-binary.tar.gz)",
        downloads: [RemoteFile(url: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
                               md5: "c32a1d4ab5d03f1284b67883e8d87530")],
        classNames: nil, imageShape: [3, 32, 32], defaults: .naturalImages, paperAugmentation: naturalImagePipeline,
        load: { try CIFAR10.load(directory: $0.files, split: $0.split) })

    /// Aligned CelebA, centre-cropped and resized (64×64 by default), with its 40 attributes and its own
    /// training, validation and test partition; every image has the one class "face".
    public static let celeba = Dataset(
        name: "celeba",
        location: .searched(expectedFiles: [[CelebA.attributesFile], [CelebA.partitionFile], [CelebA.imageFolder]]),
        howToGet: DataFetch.celebAInstructions, splits: [.train, .valid, .test], classNames: ["face"],
        imageShape: [3, 64, 64], defaults: .naturalImages, paperAugmentation: naturalImagePipeline,
        load: { try CelebA.load(directory: $0.files, split: $0.split, size: $0.imageSize ?? 64) })

    /// A labelled image folder `root/<class>/*.png|jpg|jpeg` (20 % of each class held out for testing), or
    /// `root/train/<class>/…` with `root/test/<class>/…`, given by `--data-dir` (see `ImageFolder.split(of:)`);
    /// images are resized to 64×64 colour by default.
    public static let folder = Dataset(
        name: "folder", location: .given, howToGet: "pass --data-dir pointing at root/<class>/*.png|jpg|jpeg",
        classNames: nil, imageShape: [3, 64, 64], defaults: .naturalImages, paperAugmentation: naturalImagePipeline,
        load: { request in
            try ImageFolder.load(root: request.files, split: request.split, height: request.imageSize ?? 64,
                                 width: request.imageSize ?? 64)
        })

    /// `SyntheticShapes`: 10 000 training and 2 000 test images of coloured shapes (32×32 by default), five
    /// classes, with known style factors; generated in memory, seeded by the split. Small enough for the MLP.
    public static let synthetic = Dataset(
        name: "synthetic", location: .generated, howToGet: "nothing to get: it is generated",
        classNames: SyntheticShapes.classNames, imageShape: [3, 32, 32],
        defaults: ModelDefaults(architecture: .mlp, likelihood: .gaussian(logVariance: -4.6), latents: 64),
        styleFactors: { split, count in SyntheticShapes.split(split, limit: count).factors.named },
        paperAugmentation: naturalImagePipeline,
        load: { request in
            SyntheticShapes.split(request.split, limit: request.limit, imageSize: request.imageSize).images
        })

    /// The authors' augmentations for natural images: a random resized crop of area 0.6…1 (aspect 0.75…1.3),
    /// a flip, and colour jitter 0.8, 0.8, 0.8, 0.2 on every view.
    @Sendable private static func naturalImagePipeline(_ axis: RandomFlip.Axis) -> AugmentationPipeline {
        AugmentationPipeline(crop: RandomResizedCrop(scale: 0.6 ... 1, ratio: 0.75 ... 1.3), flips: [RandomFlip(axis)],
                             colorJitter: ColorJitter(brightness: 0.8, contrast: 0.8, saturation: 0.8, hue: 0.2))
    }
}
