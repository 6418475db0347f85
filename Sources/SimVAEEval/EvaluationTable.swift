import Foundation

/// A readable table of one evaluation for the terminal.
public enum EvaluationTable {
    /// One line per score (percentages for accuracies, R² for regressions), headed by method, dataset and
    /// epochs, and the total time when recorded.
    public static func text(_ result: EvaluationResult) -> String {
        var rows: [(String, String)] = []
        func percent(_ value: Double?) -> String? { value.map { String(format: "%.1f %%", $0 * 100) } }
        func add(_ name: String, _ value: String?) { if let value { rows.append((name, value)) } }
        add("linear probe", percent(result.linearAccuracy))
        add("MLP probe", percent(result.mlpAccuracy))
        add("kNN", percent(result.knnAccuracy).map { $0 + " (k = \(result.knnNeighbors ?? 0))" })
        add("GMM accuracy", percent(result.gmmAccuracy))
        add("GMM NMI", result.gmmNormalizedMutualInformation.map { String(format: "%.3f", $0) })
        add("GMM ARI", result.gmmAdjustedRandIndex.map { String(format: "%.3f", $0) })
        for (name, value) in (result.style ?? [:]).sorted(by: { $0.key < $1.key }) {
            add("style " + name, name.hasSuffix("_acc") ? percent(value) : String(format: "R² %.3f", value))
        }
        if let seconds = result.seconds?["total"] { add("time", String(format: "%.1f s", seconds)) }
        let width = (rows.map(\.0.count).max() ?? 0) + 2
        let header = "\(result.method ?? "run") on \(result.dataset ?? "?")"
            + (result.epochs.map { " after \($0) epochs" } ?? "")
        return ([header] + rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + $0.1 })
            .joined(separator: "\n")
    }
}
