import SimVAEData
import SimVAEEval
import SimVAEMethods
import Torch

/// Turns the augmented test views of a run into style-probe data: the first 80 % of views train the probes,
/// the rest score them; only augmentation parameters that vary are probed (flips as accuracies, crop position,
/// scale and aspect and colour factors as R²).
enum StyleViews {
    static let binaryTargets: Set<String> = ["horizontal_flip", "vertical_flip", "grayscale"]

    static func split(_ representations: Representations) -> StyleData? {
        let features = representations.styleFeatures, targets = representations.styleTargets
        let count = features.size(0)
        guard count >= 10, targets.size(0) == count else { return nil }
        let spread = targets.standardDeviation(dims: [0]).scalars(as: Double.self)
        let varying = representations.styleNames.indices.filter { spread[$0] > 1e-6 }
        guard !varying.isEmpty else { return nil }
        let columns = targets.indexSelect(dim: 1, Tensor(varying.map { Int64($0) }))
        let cut = count * 4 / 5
        return StyleData(
            train: (features[0..<cut], columns[0..<cut]), test: (features[cut..<count], columns[cut..<count]),
            targets: varying.map { index in
                let name = representations.styleNames[index]
                return StyleTarget(name, binaryTargets.contains(name) ? .binary : .continuous)
            })
    }

    /// On the synthetic dataset, the generating style factors (position, scale, rotation, hue) of the
    /// un-augmented splits as probe targets (R²), keyed `factor_<name>`; nil on other datasets.
    static func syntheticFactors(_ representations: Representations, dataset: Dataset) -> StyleData? {
        guard dataset == .synthetic else { return nil }
        func matrix(_ split: DataSplit, rows: Int) -> (Tensor, [String]) {
            let named = DatasetLoader.syntheticStyleFactors(split: split, limit: rows).named
            let columns = named.map { Tensor($0.values.map(Float.init)) }
            return (Tensor.stack(columns, dim: 1), named.map { "factor_" + $0.name })
        }
        let (train, names) = matrix(.train, rows: representations.trainFeatures.size(0))
        let (test, _) = matrix(.test, rows: representations.testFeatures.size(0))
        return StyleData(train: (representations.trainFeatures, train), test: (representations.testFeatures, test),
                         targets: names.map { StyleTarget($0, .continuous) })
    }
}
