import SimVAEData
import Torch

/// Builds the style-probe data of a run (PAPER.md §6): the augmentation parameters of its augmented test views,
/// and on the synthetic dataset the generating factors of its images.
enum StyleViews {
    /// Augmentation parameters that are 0/1 bits, scored by accuracy; every other parameter is scored by R².
    static let binaryTargets: Set<String> = ["horizontal_flip", "vertical_flip", "grayscale"]

    /// The augmented views split in order: the first 80 % train the probes, the rest score them. Only
    /// parameters that vary across the views become targets (flips as accuracies; crop position, scale and
    /// aspect and colour factors as R²).
    ///
    /// - Parameters:
    ///   - features: representations of the views [V, D].
    ///   - targets: their augmentation parameters [V, K], column j named `names[j]`.
    ///   - names: the parameter names.
    /// - Returns: nil when there are fewer than 10 views, the rows disagree, or no parameter varies.
    static func split(features: Tensor, targets: Tensor, names: [String]) -> StyleData? {
        let count = features.size(0)
        guard count >= 10, targets.rank == 2, targets.size(0) == count, targets.size(1) == names.count else {
            return nil
        }
        let spread = targets.standardDeviation(dims: [0]).scalars(as: Double.self)
        let varying = names.indices.filter { spread[$0] > 1e-6 }
        guard !varying.isEmpty else { return nil }
        let columns = targets.indexSelect(dim: 1, Tensor(varying.map { Int64($0) }))
        let cut = count * 4 / 5
        return StyleData(
            train: (features[0..<cut], columns[0..<cut]), test: (features[cut..<count], columns[cut..<count]),
            targets: varying.map { index in
                StyleTarget(names[index], binaryTargets.contains(names[index]) ? .binary : .continuous)
            })
    }

    /// A dataset's generating style factors (`Dataset.styleFactors`) of the first images of the un-augmented
    /// splits, as regression targets keyed `factor_<name>`; nil when the dataset has none.
    ///
    /// - Parameters:
    ///   - train: representations [N, D] of the first N training images.
    ///   - test: representations [M, D] of the first M test images.
    static func generatingFactors(of dataset: Dataset, train: Tensor, test: Tensor) -> StyleData? {
        guard let styleFactors = dataset.styleFactors else { return nil }
        func matrix(_ split: DataSplit, rows: Int) -> (factors: Tensor, names: [String]) {
            let named = styleFactors(split, rows)
            let columns = named.map { Tensor($0.values.map(Float.init)) }
            return (Tensor.stack(columns, dim: 1), named.map { "factor_" + $0.name })
        }
        let trainFactors = matrix(.train, rows: train.size(0))
        let testFactors = matrix(.test, rows: test.size(0))
        return StyleData(train: (train, trainFactors.factors), test: (test, testFactors.factors),
                         targets: trainFactors.names.map { StyleTarget($0, .continuous) })
    }
}
