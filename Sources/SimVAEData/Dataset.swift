/// The datasets the toolkit knows, by their command-line names.
public enum Dataset: String, CaseIterable, Sendable {
    case mnist
    case fashionMNIST = "fashion-mnist"
    case cifar10
    case celeba
    /// `SyntheticShapes`, generated in memory (no files).
    case synthetic
    /// A labelled image folder `root/<class>/*.png|jpg|jpeg` (20 % of each class held out for testing), or
    /// `root/train/<class>/…` with `root/test/<class>/…`, given by `--data-dir`; see `ImageFolder.split(of:)`.
    case folder

    /// The files that identify the dataset's folder, relative to it (any one of each inner list suffices).
    public var expectedFiles: [[String]] {
        switch self {
        case .mnist, .fashionMNIST:
            ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
                .map { [$0 + ".gz", $0] }
        case .cifar10: CIFAR10.fileNames(for: .train).map { [$0] } + [["test_batch.bin"]]
        case .celeba: [[CelebA.attributesFile], [CelebA.partitionFile], [CelebA.imageFolder]]
        case .synthetic, .folder: []
        }
    }

    /// How to obtain the dataset, for error messages.
    public var howToGet: String {
        switch self {
        case .mnist: "run `simvae data fetch --dataset mnist` on a machine with network access"
        case .fashionMNIST:
            "run `apt-get install dataset-fashion-mnist` (Debian/Ubuntu) or `simvae data fetch --dataset fashion-mnist`"
        case .cifar10: "run `simvae data fetch --dataset cifar10` (downloads and unpacks cifar-10-binary.tar.gz)"
        case .celeba: DataFetch.celebAInstructions
        case .synthetic: "nothing to get: it is generated"
        case .folder: "pass --data-dir pointing at root/<class>/*.png|jpg|jpeg"
        }
    }
}
