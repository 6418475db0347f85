import Torch

/// CelebA's attribute probes (PAPER.md §6): all binary attributes at once, and hair colour — the style
/// attribute of the paper's Fig. 5 — as the authors' 5-way classification: black, blond, brown, grey, or none
/// of these. As in the authors' code, an image with two or more of the four hair-colour attributes is left out
/// of both splits, and one with none of them is labelled "none of these". Both use MLP probes trained on the
/// training split.
struct AttributeProbes {
    /// CelebA's hair-colour attributes, in the order of the first four hair-colour classes; the fifth class is
    /// "none of these".
    static let hairColours = ["Black_Hair", "Blond_Hair", "Brown_Hair", "Gray_Hair"]

    /// How the probes are trained; the head is always the MLP.
    let settings: ProbeSettings

    /// Probes trained with `settings`, but always with an MLP head.
    init(_ settings: ProbeSettings) {
        var settings = settings
        settings.head = .mlp
        self.settings = settings
    }

    /// Scores keyed `attributes_mean_acc` and, when the attributes include the four hair colours,
    /// `hair_colour_acc`, with the steps of their probes keyed `attributes` and `hair_colour`; empty when there
    /// are no attributes.
    ///
    /// - Parameters:
    ///   - train: training representations [N, D] and their 0/1 attributes [N, A].
    ///   - test: test representations [M, D] and their 0/1 attributes [M, A].
    ///   - names: the A attribute names.
    /// - Throws: `EvaluationError` for anything the probes reject (shapes, non-binary attributes).
    func scores(train: (representations: Tensor, attributes: Tensor),
                test: (representations: Tensor, attributes: Tensor), names: [String]) throws -> ProbeScores {
        var scored = ProbeScores()
        guard !names.isEmpty else { return scored }
        let probe = Probe(settings)
        let attributes = try probe.classifyAttributes(train: (train.representations, train.attributes),
                                                      test: (test.representations, test.attributes)).averaged
        (scored.scores["attributes_mean_acc"], scored.steps["attributes"]) = (attributes.score, attributes.steps)
        let columns = Self.hairColours.compactMap { names.firstIndex(of: $0) }
        guard columns.count == Self.hairColours.count else { return scored }
        if let trainHair = Self.hairColourSubset(train.representations, train.attributes, columns),
           let testHair = Self.hairColourSubset(test.representations, test.attributes, columns) {
            let hair = try probe.classify(train: trainHair, test: testHair)
            (scored.scores["hair_colour_acc"], scored.steps["hair_colour"]) = (hair.score, hair.steps)
        }
        return scored
    }

    /// The rows with at most one hair-colour attribute, labelled 0–3 by which one (in `hairColours` order), or
    /// 4 when they have none.
    ///
    /// - Parameter columns: the attribute columns of `hairColours`, in its order.
    /// - Returns: nil when every row has two or more of them.
    static func hairColourSubset(_ representations: Tensor, _ attributes: Tensor, _ columns: [Int])
        -> (representations: Tensor, labels: Tensor)?
    {
        let hair = attributes.indexSelect(dim: 1, Tensor(columns.map { Int64($0) })).to(.int64)
        let colours = hair.sum(dim: 1)
        let kept = colours .<= 1
        guard kept.any() else { return nil }
        let rows = Tensor.arange(0, Double(representations.size(0)), dtype: .int64).maskedSelect(kept)
        // One column more, set where no colour is: the argmax of each kept row is then its class.
        let withNone = Tensor.cat([hair, (colours .== 0).to(.int64).unsqueezed(dim: 1)], dim: 1)
        return (representations.indexSelect(dim: 0, rows), withNone.indexSelect(dim: 0, rows).argmax(dim: 1))
    }
}
