/// A score column of the comparison table.
public enum ScoreColumn: Hashable, Sendable {
    /// Acc-LP, `linear_acc`.
    case linearAccuracy
    /// Acc-MP, `mlp_acc`.
    case mlpAccuracy
    /// Acc-KNN, `knn_acc`.
    case knnAccuracy
    /// Clustering accuracy, `gmm_acc`.
    case gmmAccuracy
    /// Clustering NMI, `gmm_nmi`.
    case gmmNormalizedMutualInformation
    /// Clustering ARI, `gmm_ari`.
    case gmmAdjustedRandIndex
    /// A named style-probe score from `EvaluationResult.style`.
    case style(String)

    /// The content columns, in the paper's order (the style columns have a table of their own).
    public static let standard: [ScoreColumn] = [
        .linearAccuracy, .mlpAccuracy, .knnAccuracy, .gmmAccuracy, .gmmNormalizedMutualInformation,
        .gmmAdjustedRandIndex,
    ]

    /// The column's header, e.g. `"Acc-KNN"` or `"Style: hair_colour"`.
    public var title: String {
        switch self {
        case .linearAccuracy: "Acc-LP"
        case .mlpAccuracy: "Acc-MP"
        case .knnAccuracy: "Acc-KNN"
        case .gmmAccuracy: "GMM acc"
        case .gmmNormalizedMutualInformation: "GMM NMI"
        case .gmmAdjustedRandIndex: "GMM ARI"
        case .style(let name): "Style: " + Self.readable(styleKey: name)
        }
    }

    /// `crop_centre_x_r2` → `crop centre x R²`, `vertical_flip_acc` → `vertical flip acc`.
    static func readable(styleKey: String) -> String {
        var words = styleKey.split(separator: "_").map(String.init)
        if words.last == "r2" { words[words.count - 1] = "R²" }
        return words.joined(separator: " ")
    }

    /// The column's value in a result, as a fraction, when present.
    public func value(in result: EvaluationResult) -> Double? {
        switch self {
        case .linearAccuracy: result.linearAccuracy
        case .mlpAccuracy: result.mlpAccuracy
        case .knnAccuracy: result.knnAccuracy
        case .gmmAccuracy: result.gmmAccuracy
        case .gmmNormalizedMutualInformation: result.gmmNormalizedMutualInformation
        case .gmmAdjustedRandIndex: result.gmmAdjustedRandIndex
        case .style(let name): result.style?[name]
        }
    }
}
