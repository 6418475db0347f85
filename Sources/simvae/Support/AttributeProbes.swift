import SimVAEEval
import SimVAEMethods
import Torch

/// CelebA's attribute probes (PAPER.md §6): all 40 binary attributes at once, and hair colour — the style
/// attribute of the paper's Fig. 5 — as a 4-way classification (black, blond, brown, grey) over the images
/// that have exactly one of these attributes. Both use MLP probes trained on the training split.
enum AttributeProbes {
    static let hairColours = ["Black_Hair", "Blond_Hair", "Brown_Hair", "Gray_Hair"]

    /// Scores keyed `attributes_mean_acc` and `hair_colour_acc`; empty when the dataset has no attributes.
    static func scores(_ representations: Representations, settings: ProbeSettings) throws -> [String: Double] {
        guard !representations.attributeNames.isEmpty else { return [:] }
        var settings = settings
        settings.head = .mlp
        let probe = Probe(settings)
        let perAttribute = try probe.classifyAttributes(
            train: (representations.trainFeatures, representations.trainAttributes),
            test: (representations.testFeatures, representations.testAttributes))
        var scores = ["attributes_mean_acc": perAttribute.reduce(0, +) / Double(Swift.max(perAttribute.count, 1))]
        let columns = hairColours.compactMap { representations.attributeNames.firstIndex(of: $0) }
        guard columns.count == hairColours.count else { return scores }
        if let train = hairSubset(representations.trainFeatures, representations.trainAttributes, columns),
           let test = hairSubset(representations.testFeatures, representations.testAttributes, columns) {
            scores["hair_colour_acc"] = try probe.classify(train: train, test: test)
        }
        return scores
    }

    /// The rows with exactly one hair-colour attribute, labelled by which one.
    private static func hairSubset(_ features: Tensor, _ attributes: Tensor, _ columns: [Int])
        -> (representations: Tensor, labels: Tensor)?
    {
        let hair = attributes.indexSelect(dim: 1, Tensor(columns.map { Int64($0) }))
        let single = hair.sum(dim: 1) .== 1
        guard single.any() else { return nil }
        let rows = Tensor.arange(0, Double(features.size(0)), dtype: .int64).maskedSelect(single)
        return (features.indexSelect(dim: 0, rows), hair.indexSelect(dim: 0, rows).argmax(dim: 1))
    }
}
