/// The published numbers of the SimVAE paper's Table 1 (top-1 %, mean ± s.e. over 3 runs; PAPER.md §7), keyed by
/// this project's method and dataset identifiers, for side-by-side comparison in reports.
public struct PaperReference: Equatable, Sendable {
    /// The project's dataset identifier, e.g. `"fashion-mnist"`.
    public let dataset: String
    /// The project's method identifier, e.g. `"beta-vae"`.
    public let method: String
    /// Acc-MP of the paper, in percent.
    public let mlpAccuracy: MeanAndStandardError
    /// Acc-KNN of the paper, in percent.
    public let knnAccuracy: MeanAndStandardError
    /// CelebA hair-colour (style) Acc-MP of the paper, in percent, where published.
    public let hairColourMLPAccuracy: Double?

    /// The paper's methods in its row order (their display names come from `Method.displayName`).
    public static let methodOrder = ["random", "simclr", "moco", "vicreg", "vae", "beta-vae", "cr-vae", "simvae"]

    /// How the paper names a dataset, e.g. `"CelebA (gender)"`.
    public static let datasetNames: [String: String] = [
        "mnist": "MNIST", "fashion-mnist": "FashionMNIST", "celeba": "CelebA (gender)", "cifar10": "CIFAR-10",
    ]

    /// Every row of Table 1.
    public static let table1: [PaperReference] = {
        let rows: [(String, String, Double, Double, Double, Double, Double?)] = [
            ("mnist", "random", 38.1, 3.8, 46.1, 2.5, nil), ("mnist", "simclr", 97.2, 0.0, 97.2, 0.1, nil),
            ("mnist", "moco", 94.6, 0.4, 94.6, 0.3, nil), ("mnist", "vicreg", 96.7, 0.0, 97.0, 0.0, nil),
            ("mnist", "vae", 97.8, 0.1, 98.0, 0.1, nil), ("mnist", "beta-vae", 98.0, 0.0, 98.3, 0.0, nil),
            ("mnist", "cr-vae", 97.7, 0.0, 98.0, 0.0, nil), ("mnist", "simvae", 98.4, 0.0, 98.5, 0.0, nil),
            ("fashion-mnist", "random", 49.8, 0.8, 66.5, 0.4, nil),
            ("fashion-mnist", "simclr", 74.9, 0.2, 76.0, 0.1, nil),
            ("fashion-mnist", "moco", 71.2, 0.1, 76.9, 0.2, nil),
            ("fashion-mnist", "vicreg", 73.2, 0.1, 76.0, 0.1, nil),
            ("fashion-mnist", "vae", 80.2, 0.3, 83.7, 0.2, nil),
            ("fashion-mnist", "beta-vae", 82.2, 0.1, 86.1, 0.0, nil),
            ("fashion-mnist", "cr-vae", 82.6, 0.0, 86.4, 0.0, nil),
            ("fashion-mnist", "simvae", 82.1, 0.0, 86.5, 0.0, nil),
            ("celeba", "random", 83.5, 1.0, 80.0, 0.9, 56.2), ("celeba", "simclr", 93.7, 0.4, 91.6, 0.3, 52.0),
            ("celeba", "moco", 89.7, 1.0, 88.6, 1.0, nil), ("celeba", "vicreg", 94.7, 0.1, 92.7, 0.4, 52.8),
            ("celeba", "vae", 89.0, 0.5, 86.9, 0.7, 64.4), ("celeba", "beta-vae", 93.4, 0.4, 92.0, 0.1, 66.4),
            ("celeba", "cr-vae", 93.1, 0.4, 91.6, 0.6, 66.2), ("celeba", "simvae", 95.6, 0.4, 93.2, 0.1, 67.5),
            ("cifar10", "random", 16.3, 0.4, 13.1, 0.6, nil), ("cifar10", "simclr", 67.4, 0.1, 64.0, 0.0, nil),
            ("cifar10", "moco", 56.4, 1.6, 54.0, 2.0, nil), ("cifar10", "vicreg", 69.7, 0.0, 68.3, 0.0, nil),
            ("cifar10", "vae", 30.3, 0.4, 25.6, 0.5, nil), ("cifar10", "beta-vae", 36.6, 0.1, 28.5, 0.1, nil),
            ("cifar10", "cr-vae", 36.8, 0.0, 28.1, 0.1, nil), ("cifar10", "simvae", 51.8, 0.0, 47.1, 0.0, nil),
        ]
        return rows.map { dataset, method, mlp, mlpError, knn, knnError, hair in
            PaperReference(
                dataset: dataset, method: method,
                mlpAccuracy: MeanAndStandardError(mean: mlp, standardError: mlpError, count: 3),
                knnAccuracy: MeanAndStandardError(mean: knn, standardError: knnError, count: 3),
                hairColourMLPAccuracy: hair)
        }
    }()

    /// The paper's numbers for a method on a dataset (identifiers compared case-insensitively), if published.
    public static func lookup(method: String, dataset: String) -> PaperReference? {
        table1.first { $0.method == method.lowercased() && $0.dataset == dataset.lowercased() }
    }
}
