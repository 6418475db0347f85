import Foundation

/// A self-contained HTML page comparing runs: the Table-1-style comparison, training curves, reconstructions and
/// samples, and a style-versus-content scatter plot (as the paper's Fig. 5).
///
/// The page references nothing outside itself: styles are inline, plots are inline SVG and images are base64
/// `data:` URIs, so it can be mailed or opened offline.
public struct HTMLReport: Equatable, Sendable {
    /// The runs to compare.
    public var runs: [ReportedRun]
    /// The page's title.
    public var title: String
    /// The content score on the scatter plot's x axis.
    public var contentScore: ScoreColumn
    /// The style score on the scatter plot's y axis: a key of `EvaluationResult.style`, or `nil` for the mean of
    /// all of a run's style scores.
    public var styleScore: String?
    /// Whether the tables show the paper's published numbers next to the runs'.
    public var includesPaperReference: Bool

    /// Creates a report of `runs`; by default the scatter plot shows Acc-KNN against the mean style score.
    public init(
        runs: [ReportedRun], title: String = "SimVAE report", contentScore: ScoreColumn = .knnAccuracy,
        styleScore: String? = nil, includesPaperReference: Bool = true
    ) {
        self.runs = runs
        self.title = title
        self.contentScore = contentScore
        self.styleScore = styleScore
        self.includesPaperReference = includesPaperReference
    }

    /// The whole page. Images that cannot be read are replaced by a sentence saying why.
    public func render() -> String {
        let tables = ComparisonTable.tables(for: runs, includingPaperReference: includesPaperReference)
            + ComparisonTable.tables(for: runs, scores: .style)
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(title.markupEscaped)</title>
            <style>
            body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 1100px; }
            table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.4em; text-align: right; }
            td { white-space: nowrap; }
            th:first-child, td:first-child { text-align: left; white-space: normal; }
            th.paper, td.paper { color: #555; background: #f6f6f6; }
            .legend span { display: inline-block; margin-right: 1.2em; }
            .legend i { display: inline-block; width: 1.6em; height: 0.25em; vertical-align: middle;
                        margin-right: 0.4em; }
            caption { caption-side: top; text-align: left; font-weight: bold; margin-bottom: 0.3em; }
            .plots { display: flex; flex-wrap: wrap; gap: 1em; }
            figure { margin: 0 0 1em 0; }
            img { image-rendering: pixelated; max-width: 480px; border: 1px solid #ccc; }
            .note { color: #a33; }
            </style>
            </head>
            <body>
            <h1>\(title.markupEscaped)</h1>
            <h2>Scores</h2>
            \(tables.map(\.html).joined())
            <h2>Style versus content</h2>
            \(styleContentSection())
            <h2>Online kNN monitor</h2>
            \(monitorSection())
            <h2>Training curves</h2>
            \(curvesSection())
            <h2>Reconstructions and samples</h2>
            \(imagesSection())
            </body>
            </html>

            """
    }

    /// Renders the page and writes it to `url` atomically.
    ///
    /// - Throws: `EvaluationError.unwritableFile` (naming the path) when the file cannot be written.
    public func write(to url: URL) throws {
        do {
            try Data(render().utf8).write(to: url, options: .atomic)
        } catch {
            throw EvaluationError.unwritableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Each run's colour, the same in every chart of the page.
    private func color(of run: ReportedRun) -> String {
        SVGPlot.palette[(runs.firstIndex(of: run) ?? 0) % SVGPlot.palette.count]
    }

    /// The runs with their colours, shown once above the charts.
    private var legend: String {
        let entries = runs.map { "<span><i style=\"background: \(color(of: $0))\"></i>\($0.name.markupEscaped)</span>" }
        return "<p class=\"legend\">\(entries.joined())</p>\n"
    }

    /// One chart per logged term, one line per run, each run in its colour. Runs whose values of a term are orders
    /// of magnitude apart (two methods' losses) get separate charts, so each curve has an axis that fits it.
    private func curvesSection() -> String {
        var terms: [String] = []
        for term in runs.flatMap(\.metrics.terms)
        where !terms.contains(term) && !MetricsLog.bookkeepingKeys.contains(term) {
            terms.append(term)
        }
        guard !terms.isEmpty else { return "<p>No training metrics were given.</p>\n" }
        let charts = terms.flatMap { term in
            let series = runs.map { PlotSeries(name: $0.name, points: $0.metrics.curve(of: term), color: color(of: $0)) }
                .filter { !$0.points.isEmpty }
            let groups = PlotSeries.groupedByScale(series)
            return groups.map { group in
                let title = groups.count == 1 ? term : "\(term): \(group.map(\.name).joined(separator: ", "))"
                return SVGPlot(title: title, xLabel: "step", yLabel: term).lineChart(group, showsLegend: false)
            }
        }
        let truncated = runs.filter { $0.metrics.truncatedLine != nil }.map { run in
            "<p class=\"note\">\(run.name.markupEscaped): the last line of metrics.jsonl was cut off and skipped.</p>"
        }
        return truncated.joined(separator: "\n") + legend + "<div class=\"plots\">\n\(charts.joined())</div>\n"
    }

    /// The online monitor's kNN accuracy (held-out training images) against epochs and against training time, one
    /// line per monitored run in its colour.
    private func monitorSection() -> String {
        let monitored = runs.filter { !$0.metrics.monitorCurve(against: "epochs_done").isEmpty }
        guard !monitored.isEmpty else { return "<p>No run was monitored while it trained.</p>\n" }
        let charts = [("epochs_done", "epochs"), ("training_seconds", "training time (s)")].map { key, label in
            let series = monitored.map {
                PlotSeries(name: $0.name, points: $0.metrics.monitorCurve(against: key), color: color(of: $0))
            }
            return SVGPlot(title: "kNN accuracy against \(label)", xLabel: label, yLabel: "kNN accuracy (%)")
                .lineChart(series, yLimits: 0...100, showsLegend: false)
        }
        let costs = monitored.compactMap { run in
            run.metrics.monitorTimeFraction.map { String(format: "%@: %.1f %%", run.name.markupEscaped, $0 * 100) }
        }
        return legend + "<div class=\"plots\">\n\(charts.joined())</div>\n"
            + "<p>kNN (best k in 1…20) of held-out training images (the last 5 000, by the labels of the first 10 000; "
            + "fewer with --limit), never the test split. Share of training time spent measuring it: \(costs.joined(separator: "; ")).</p>\n"
    }

    /// The scatter plot of one point per experiment (see `RunGrouping`): mean content score against mean style
    /// score over its distinct seeds.
    private func styleContentSection() -> String {
        let spansDatasets = Set(runs.map(\.dataset)).count > 1
        let groups = RunGrouping(runs).groups.sorted { ($0.dataset, $0.label) < ($1.dataset, $1.label) }
        let points = groups.compactMap { group -> LabelledPoint? in
            guard let content = MeanAndStandardError(group.runs.compactMap { contentScore.value(in: $0.result) }),
                  let style = MeanAndStandardError(group.runs.compactMap { styleValue(of: $0.result) })
            else { return nil }
            let dataset = PaperReference.datasetNames[group.dataset] ?? group.dataset
            let label = spansDatasets ? "\(dataset): \(group.label)" : group.label
            return LabelledPoint(label: label, x: content.mean * 100, y: style.mean * 100)
        }
        guard !points.isEmpty else { return "<p>No run has both a content score and a style score.</p>\n" }
        let styleName = styleScore ?? "mean style score"
        return SVGPlot(title: "Style retained versus content", xLabel: "\(contentScore.title) (%)",
                       yLabel: "\(styleName) (%)").scatterChart(points, xLimits: 0...100, yLimits: -.infinity...100)
    }

    private func styleValue(of result: EvaluationResult) -> Double? {
        guard let style = result.style, !style.isEmpty else { return nil }
        if let styleScore { return style[styleScore] }
        return style.values.reduce(0, +) / Double(style.count)
    }

    /// Each run's reconstruction and sample PNGs as `data:` URIs.
    private func imagesSection() -> String {
        let figures = runs.flatMap { run in
            [("reconstructions", run.reconstructionImage), ("samples", run.sampleImage)].compactMap { kind, url in
                url.map { figure(of: $0, caption: "\(run.name): \(kind)") }
            }
        }
        return figures.isEmpty ? "<p>No images were given.</p>\n" : "<div class=\"plots\">\n\(figures.joined())</div>\n"
    }

    private func figure(of url: URL, caption: String) -> String {
        let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let content: String
        do {
            let data = try readFile(url)
            if data.starts(with: pngSignature) {
                let source = "data:image/png;base64,\(data.base64EncodedString())"
                content = "<img alt=\"\(caption.markupEscaped)\" src=\"\(source)\">"
            } else {
                content = "<p class=\"note\">\(url.lastPathComponent.markupEscaped) is not a PNG image.</p>"
            }
        } catch {
            content = "<p class=\"note\">\(String(describing: error).markupEscaped)</p>"
        }
        return "<figure>\(content)<figcaption>\(caption.markupEscaped)</figcaption></figure>\n"
    }
}
