import Foundation
import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ReportTests {
    private let simVAEBudget = ["epochs": "2", "views": "10", "limit": "null"]

    /// Two seeds of SimVAE and one of SimCLR on MNIST.
    private var runs: [ReportedRun] {
        get throws {
            let metrics = try MetricsLog(parsing: """
                {"step": 1, "loss": 10.0, "recon": 8.0}
                {"step": 2, "loss": 5.0, "recon": 4.0}
                """)
            return [
                ReportedRun(name: "simvae-1", method: "simvae", dataset: "mnist", seed: 1, configuration: simVAEBudget,
                            result: EvaluationResult(knnAccuracy: 0.90, style: ["hair": 0.60]), metrics: metrics),
                ReportedRun(name: "simvae-2", method: "simvae", dataset: "mnist", seed: 2, configuration: simVAEBudget,
                            result: EvaluationResult(knnAccuracy: 0.94, style: ["hair": 0.70]), metrics: metrics),
                ReportedRun(name: "simclr-1", method: "simclr", dataset: "mnist", seed: 1,
                            configuration: ["epochs": "2", "views": "2", "limit": "4000"],
                            result: EvaluationResult(knnAccuracy: 0.80, gmmAccuracy: 0.5, style: ["hair": 0.50])),
            ]
        }
    }

    @Test(.drawsFromTheRandomGenerator) func markdownShowsMeanAndStandardErrorOverSeeds() throws {
        // Acc-KNN 90 % and 94 %: mean 92; s = √((2² + 2²) / 1) = 2.83, s.e. = 2.83 / √2 = 2.0.
        let table = try ComparisonTable(runs: runs, dataset: "mnist")
        let lines = table.markdown.split(separator: "\n")
        #expect(lines.contains(
            "| SimVAE | 2 | **92.0 ± 2.0** | – | 2 ep, J=10 | 98.4 ± 0.0 | 98.5 ± 0.0 |"))
        #expect(lines.contains("| SimCLR | 1 | 80.0 | 50.0 | 2 ep, J=2, 4000 img | 97.2 ± 0.0 | 97.2 ± 0.1 |"))
        #expect(table.headers == ["Method", "Seeds", "Acc-KNN", "GMM acc", "Budget", "Paper Acc-MP", "Paper Acc-KNN"])
        // The style scores have a table of their own, without the paper's columns.
        let style = try ComparisonTable(runs: runs, dataset: "mnist", scores: .style)
        #expect(style.headers == ["Method", "Seeds", "Style: hair", "Budget"])
        #expect(style.markdown.split(separator: "\n").contains("| SimVAE | 2 | **65.0 ± 5.0** | 2 ep, J=10 |"))
        var unscored = try runs
        unscored[2].result.style = nil
        #expect(ComparisonTable(runs: unscored, dataset: "mnist", scores: .style).rows.map(\.method) == ["simvae"])
        #expect(ComparisonTable.tables(for: try runs.map { run in
            var plain = run
            plain.result.style = nil
            return plain
        }, scores: .style).isEmpty)
        #expect(table.rows.map(\.method) == ["simclr", "simvae"])
        #expect(table.rows.map(\.seedCount) == [1, 2])
    }

    @Test(.drawsFromTheRandomGenerator) func paperReferenceIsOptional() throws {
        let table = try ComparisonTable(runs: runs, dataset: "mnist", includingPaperReference: false)
        #expect(!table.headers.contains("Paper Acc-MP"))
        #expect(PaperReference.lookup(method: "beta-vae", dataset: "cifar10")?.knnAccuracy.mean == 28.5)
        #expect(PaperReference.lookup(method: "simvae", dataset: "celeba")?.hairColourMLPAccuracy == 67.5)
    }

    @Test(.drawsFromTheRandomGenerator) func htmlIsSelfContainedWithTableAndPlots() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-eval-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let png = directory.appendingPathComponent("recon.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]).write(to: png)
        var runs = try runs
        runs[0].reconstructionImage = png
        runs[1].sampleImage = directory.appendingPathComponent("missing.png")
        let html = HTMLReport(runs: runs).render()
        #expect(html.contains("<table>"))
        #expect(html.contains("<strong>92.0 ± 2.0</strong>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)  // loss, recon, style-vs-content
        #expect(html.contains("<polyline"))
        #expect(html.contains("<circle"))
        #expect(html.contains("data:image/png;base64,iVBORw0KGgoBAgM="))
        #expect(html.contains("Cannot read"))
        #expect(!html.lowercased().contains("http"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
    }

    @Test(.drawsFromTheRandomGenerator) func scatterLabelsAndEscapesNames() {
        let svg = SVGPlot(title: "a < b", xLabel: "x", yLabel: "y")
            .scatterChart([LabelledPoint(label: "β-VAE & co", x: 1, y: 2), LabelledPoint(label: "VAE", x: 3, y: 1)])
        #expect(svg.contains("a &lt; b"))
        #expect(svg.contains("β-VAE &amp; co"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 2)
    }
}

@Test(.drawsFromTheRandomGenerator) func styleColumnTitlesAreReadable() {
    #expect(ScoreColumn.style("crop_centre_x_r2").title == "Style: crop centre x R²")
    #expect(ScoreColumn.style("vertical_flip_acc").title == "Style: vertical flip acc")
}

@Test(.drawsFromTheRandomGenerator) func curvesSkipEpochSummariesWhenStepRowsExist() throws {
    let log = try MetricsLog(parsing: """
        {"step": 1, "loss": 3}
        {"step": 2, "loss": 2}
        {"step": 2, "epoch": 1, "loss": 2.5, "epoch_seconds": 1}
        """)
    #expect(log.curve(of: "loss").map(\.y) == [3, 2])
}
