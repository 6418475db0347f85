/// A Table-1-style comparison of the runs on one dataset: one row per experiment (a method with one
/// configuration, see `RunGrouping`), one column per score, in percent, with mean ± standard error over the
/// experiment's distinct seeds and the best mean of each column marked. The content scores (probes, kNN,
/// clustering) and the style scores have tables of their own, so that each fits a narrow window.
public struct ComparisonTable: Equatable, Sendable {
    /// Which scores a table compares.
    public enum Scores: Sendable {
        /// The probes, kNN and clustering (`ScoreColumn.standard`), beside the paper's numbers.
        case content
        /// The style probes (`EvaluationResult.style`); the paper publishes none on these datasets.
        case style
    }

    /// One cell's text and whether it holds the best value of its column.
    public struct Cell: Equatable, Sendable {
        /// The formatted value, e.g. `"92.0 ± 2.0"`, or `"–"` when missing.
        public let text: String
        /// Whether the value is the column's best (ties at the printed precision included).
        public let isBest: Bool
    }

    /// One experiment's row.
    public struct Row: Equatable, Sendable {
        /// The method identifier.
        public let method: String
        /// The row's label: the method's name, and what sets the row apart when the method has several
        /// configurations, e.g. `"SimVAE (epochs 2)"`.
        public let label: String
        /// The number of distinct seeds summarised (duplicates counted once).
        public let seedCount: Int
        /// The training budget of the row's runs, e.g. `"2 ep, J=10, 4000 img"` (epochs, views per set, the
        /// `--limit` when one was set, and the recipe when the configuration names one), to read beside the paper's
        /// 400-epoch numbers.
        public let budget: String
        /// The score cells, then the paper's numbers; in `ComparisonTable.headers` the method and the seed count come
        /// first and the budget sits before the paper's columns.
        public let cells: [Cell]
    }

    /// The dataset identifier.
    public let dataset: String
    /// Which scores the table compares.
    public let scores: Scores
    /// The score columns present in at least one run, in table order.
    public let columns: [ScoreColumn]
    /// Whether the paper's Acc-MP and Acc-KNN (and, for CelebA, hair colour) follow the score columns.
    public let showsPaperReference: Bool
    /// The rows: the paper's methods in its order, then other methods alphabetically; the rows of one method in
    /// the order of their first run.
    public let rows: [Row]

    /// Summarises the `scores` of the runs of `dataset` among `runs`, grouped by `RunGrouping`.
    ///
    /// - Parameter includingPaperReference: add the paper's published numbers (content scores) when it reports
    ///   this dataset.
    public init(runs: [ReportedRun], dataset: String, scores: Scores = .content, includingPaperReference: Bool = true) {
        let paperOrder = PaperReference.methodOrder
        func rank(_ method: String) -> Int { paperOrder.firstIndex(of: method.lowercased()) ?? paperOrder.count }
        let datasetGroups = RunGrouping(runs).groups.filter { $0.dataset == dataset }.enumerated()
            .sorted { (rank($0.element.method), $0.element.method, $0.offset)
                < (rank($1.element.method), $1.element.method, $1.offset) }
            .map(\.element)
        let runs = datasetGroups.flatMap(\.runs)
        self.dataset = dataset
        self.scores = scores
        let candidates = switch scores {
        case .content: ScoreColumn.standard
        case .style: Set(runs.flatMap { $0.result.style?.keys.map { $0 } ?? [] }).sorted().map(ScoreColumn.style)
        }
        let columns = candidates.filter { column in runs.contains { column.value(in: $0.result) != nil } }
        // Every experiment has a content row (the paper's numbers stand beside it); only scored ones a style row.
        let groups = scores == .content ? datasetGroups : datasetGroups.filter { group in
            group.runs.contains { run in columns.contains { $0.value(in: run.result) != nil } }
        }
        let showsPaperReference = scores == .content && includingPaperReference
            && PaperReference.datasetNames[dataset.lowercased()] != nil
        self.columns = columns
        self.showsPaperReference = showsPaperReference
        let summaries = groups.map { group in
            columns.map { column in
                MeanAndStandardError(group.runs.compactMap { column.value(in: $0.result) })?.scaled(by: 100)
            }
        }
        // Means that print the same are tied; a column with a single value has no winner.
        let bestMeans = columns.indices.map { index -> String? in
            let present = summaries.compactMap { $0[index] }
            guard present.count > 1 else { return nil }
            return present.map(\.mean).max().map(Self.formatPercent)
        }
        rows = zip(groups, summaries).map { group, summary in
            var cells = summary.enumerated().map { index, value in
                let rounded = value.map { Self.formatPercent($0.mean) }
                return Cell(text: value?.formatted() ?? "–", isBest: rounded != nil && rounded == bestMeans[index])
            }
            if showsPaperReference {
                let paper = PaperReference.lookup(method: group.method, dataset: dataset)
                cells.append(Cell(text: paper?.mlpAccuracy.formatted() ?? "–", isBest: false))
                cells.append(Cell(text: paper?.knnAccuracy.formatted() ?? "–", isBest: false))
                if dataset.lowercased() == "celeba" {
                    let hair = paper?.hairColourMLPAccuracy.map(Self.formatPercent)
                    cells.append(Cell(text: hair ?? "–", isBest: false))
                }
            }
            return Row(method: group.method, label: group.label, seedCount: group.runs.count,
                       budget: Self.budget(of: group.runs[0].configuration), cells: cells)
        }
    }

    /// The paper trains every method for 400 epochs (PAPER.md §8).
    static let paperEpochs = 400

    /// A run's budget from its configuration (see `Row.budget`).
    static func budget(of configuration: [String: String]) -> String {
        var parts: [String] = []
        if let epochs = configuration["epochs"] { parts.append("\(epochs) ep") }
        if let views = configuration["views"] { parts.append("J=\(views)") }
        if let limit = configuration["limit"], Int(limit) != nil { parts.append("\(limit) img") }
        if let recipe = configuration["recipe"] { parts.append(recipe) }
        return parts.isEmpty ? "–" : parts.joined(separator: ", ")
    }

    /// A percentage with the table's precision.
    private static func formatPercent(_ value: Double) -> String {
        MeanAndStandardError(mean: value, standardError: nil, count: 1).formatted()
    }

    /// One table of `scores` per dataset found in `runs`, ordered by dataset identifier; datasets none of whose
    /// runs has such a score have none.
    public static func tables(for runs: [ReportedRun], scores: Scores = .content,
                              includingPaperReference: Bool = true) -> [ComparisonTable] {
        Set(runs.map(\.dataset)).sorted().map {
            ComparisonTable(runs: runs, dataset: $0, scores: scores, includingPaperReference: includingPaperReference)
        }.filter { !$0.columns.isEmpty || scores == .content }
    }

    /// The column headers, starting with the method and the number of distinct seeds.
    public var headers: [String] {
        var headers = ["Method", "Seeds"] + columns.map(\.title) + ["Budget"]
        if showsPaperReference {
            headers += ["Paper Acc-MP", "Paper Acc-KNN"]
            if dataset.lowercased() == "celeba" { headers.append("Paper hair-colour Acc-MP") }
        }
        return headers
    }

    /// How many of the trailing `headers` (and cells) are the paper's numbers.
    private var paperColumnCount: Int { showsPaperReference ? (dataset.lowercased() == "celeba" ? 3 : 2) : 0 }

    /// A caption naming the dataset (as the paper names it), the scores and the summary convention.
    public var caption: String {
        let name = PaperReference.datasetNames[dataset.lowercased()] ?? dataset
        if scores == .style {
            return "\(name): style retained, in %: accuracy for flips and other binary factors, R² for continuous "
                + "ones (crop, colour); mean ± s.e. over the seeds counted under Seeds; best of each column in bold."
        }
        let paper = showsPaperReference
            ? " The paper's numbers (Paper columns) come from \(Self.paperEpochs) epochs of training." : ""
        return "\(name): top-1 scores in %, mean ± s.e. over the distinct seeds counted under Seeds; "
            + "best of each column in bold. Budget: epochs, views per set J, training images when limited.\(paper)"
    }

    /// The table in GitHub-flavoured Markdown, best values in `**bold**`.
    public var markdown: String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let body = rows.map { row in
            let cells = row.cells.map { $0.isBest ? "**\($0.text)**" : $0.text }
            return line([row.label, String(row.seedCount)] + cells.dropLast(paperColumnCount) + [row.budget]
                + cells.suffix(paperColumnCount))
        }
        return ([caption, "", line(headers), line(headers.map { _ in "---" })] + body).joined(separator: "\n") + "\n"
    }

    /// The table as an HTML `<table>` element, best values in `<strong>`.
    public var html: String {
        let paperFrom = headers.count - paperColumnCount
        let head = headers.enumerated().map { index, header in
            "<th\(index >= paperFrom ? " class=\"paper\"" : "")>\(header.markupEscaped)</th>"
        }.joined()
        let body = rows.map { row in
            let scores = row.cells.map { cell in
                let text = cell.text.markupEscaped
                return cell.isBest ? "<strong>\(text)</strong>" : text
            }
            let cells = [row.label, String(row.seedCount)].map { "<td>\($0.markupEscaped)</td>" }
                + scores.dropLast(paperColumnCount).map { "<td>\($0)</td>" }
                + ["<td>\(row.budget.markupEscaped)</td>"]
                + scores.suffix(paperColumnCount).map { "<td class=\"paper\">\($0)</td>" }
            return "<tr>\(cells.joined())</tr>"
        }
        return "<table>\n<caption>\(caption.markupEscaped)</caption>\n<thead><tr>\(head)</tr></thead>\n<tbody>\n"
            + body.joined(separator: "\n") + "\n</tbody>\n</table>\n"
    }
}
