import Foundation

extension Dataset {
    /// MNIST's handwritten digits: 60 000 training and 10 000 test images of 28×28 grey pixels.
    public static let mnist = idxDataset(
        "mnist", classNames: (0..<10).map(String.init), threshold: 0.5,
        howToGet: "run `simvae data fetch --dataset mnist` on a machine with network access",
        downloads: idxFiles("https://ossci-datasets.s3.amazonaws.com/mnist/", [
            "f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
            "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c",
        ]))

    /// Fashion-MNIST's clothes, in MNIST's format.
    public static let fashionMNIST = idxDataset(
        "fashion-mnist",
        classNames: ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                     "Ankle boot"],
        threshold: nil,
        howToGet: "run `apt-get install dataset-fashion-mnist` (Debian/Ubuntu) or "
            + "`simvae data fetch --dataset fashion-mnist`",
        downloads: idxFiles("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", [
            "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
            "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310",
        ]))

    private static let idxNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                   "t10k-labels-idx1-ubyte"]

    /// A dataset of IDX files (plain or gzipped). The authors' augmentations for it: a random resized crop of
    /// area 0.4…1 (aspect 0.75…1.3), a flip, and for MNIST a threshold at 0.5.
    private static func idxDataset(_ name: String, classNames: [String], threshold: Double?, howToGet: String,
                                   downloads: [RemoteFile]) -> Dataset {
        Dataset(
            name: name, location: .searched(expectedFiles: idxNames.map { [$0 + ".gz", $0] }), howToGet: howToGet,
            downloads: downloads, classNames: classNames, imageShape: [1, 28, 28], defaults: .greyDigits,
            paperAugmentation: { axis in
                AugmentationPipeline(crop: RandomResizedCrop(scale: 0.4 ... 1, ratio: 0.75 ... 1.3),
                                     flips: [RandomFlip(axis)], threshold: threshold)
            },
            load: { request in
                let prefix = request.split == .train ? "train" : "t10k"
                return try IDX.loadImageSet(images: idxPath(request.files, "\(prefix)-images-idx3-ubyte"),
                                            labels: idxPath(request.files, "\(prefix)-labels-idx1-ubyte"),
                                            classNames: classNames)
            })
    }

    private static func idxFiles(_ base: String, _ digests: [String]) -> [RemoteFile] {
        zip(idxNames, digests).map { RemoteFile(url: base + $0 + ".gz", md5: $1) }
    }

    /// The `.gz` file when present, else the plain one.
    private static func idxPath(_ folder: String, _ name: String) -> String {
        let compressed = (folder as NSString).appendingPathComponent(name + ".gz")
        return FileManager.default.fileExists(atPath: compressed) ? compressed
            : (folder as NSString).appendingPathComponent(name)
    }
}
