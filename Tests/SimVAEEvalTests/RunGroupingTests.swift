import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct RunGroupingTests {
    /// A SimVAE run on MNIST with the given seed, options and Acc-KNN.
    static func run(_ name: String, seed: Int, epochs: Int = 12, views: Int = 10, knn: Double,
                    evaluatedWith limit: Int? = nil) -> ReportedRun {
        ReportedRun(name: name, method: "simvae", dataset: "mnist", seed: seed,
                    configuration: ["epochs": "\(epochs)", "views": "\(views)", "lr": "8e-05"],
                    result: EvaluationResult(knnAccuracy: knn, epochs: epochs, limit: limit))
    }

    @Test(.drawsFromTheRandomGenerator) func runsWithOtherOptionsGetRowsOfTheirOwnLabelledWithWhatDiffers() {
        let runs = [
            Self.run("short-1", seed: 1, epochs: 2, knn: 0.50), Self.run("long-1", seed: 1, knn: 0.90),
            Self.run("short-2", seed: 2, epochs: 2, knn: 0.60), Self.run("long-2", seed: 2, knn: 0.94),
        ]
        let grouping = RunGrouping(runs)
        #expect(grouping.groups.map(\.label) == ["SimVAE (epochs 2)", "SimVAE (epochs 12)"])
        #expect(grouping.groups.map { $0.runs.map(\.name) } == [["short-1", "short-2"], ["long-1", "long-2"]])
        #expect(grouping.duplicates.isEmpty)
        let table = ComparisonTable(runs: runs, dataset: "mnist", includingPaperReference: false)
        let lines = table.markdown.split(separator: "\n")
        #expect(lines.contains("| SimVAE (epochs 2) | 2 | 55.0 ± 5.0 | 2 ep, J=10 |"))
        #expect(lines.contains("| SimVAE (epochs 12) | 2 | **92.0 ± 2.0** | 12 ep, J=10 |"))
    }

    @Test(.drawsFromTheRandomGenerator) func everyDifferingOptionIsNamedAndAMissingOneReadsNone() {
        var noViews = Self.run("c", seed: 1, knn: 0.7)
        noViews.configuration["views"] = nil
        let grouping = RunGrouping([Self.run("a", seed: 1, epochs: 2, views: 4, knn: 0.5),
                                    Self.run("b", seed: 1, knn: 0.9), noViews])
        #expect(grouping.groups.map(\.distinctions) == [["epochs 2", "views 4"], ["epochs 12", "views 10"],
                                                        ["epochs 12", "views none"]])
    }

    @Test(.drawsFromTheRandomGenerator) func scoresEvaluatedDifferentlyAreNotAveraged() {
        let grouping = RunGrouping([Self.run("a", seed: 1, knn: 0.5, evaluatedWith: 200),
                                    Self.run("b", seed: 2, knn: 0.9)])
        #expect(grouping.groups.map(\.label) == ["SimVAE (eval limit 200)", "SimVAE (eval limit all)"])
    }

    @Test(.drawsFromTheRandomGenerator) func theSameSeedTwiceIsCountedOnceWithAWarning() {
        let runs = [Self.run("runs/a", seed: 1, knn: 0.90), Self.run("runs/copy-of-a", seed: 1, knn: 0.91),
                    Self.run("runs/b", seed: 2, knn: 0.94)]
        let grouping = RunGrouping(runs)
        #expect(grouping.groups.count == 1)
        #expect(grouping.groups[0].label == "SimVAE")
        #expect(grouping.groups[0].runs.map(\.name) == ["runs/a", "runs/b"])
        #expect(grouping.duplicates == [RunGrouping.Duplicate(repeated: "runs/copy-of-a", original: "runs/a", seed: 1)])
        #expect(grouping.duplicates[0].description
            == "runs/copy-of-a repeats runs/a (the same configuration and seed 1); it is counted once, as runs/a.")
        let row = ComparisonTable(runs: runs, dataset: "mnist", includingPaperReference: false).rows[0]
        #expect(row.seedCount == 2)
        #expect(row.cells[0].text == "92.0 ± 2.0")
    }

    @Test(.drawsFromTheRandomGenerator) func theSameSeedInAnotherConfigurationIsNoDuplicate() {
        let grouping = RunGrouping([Self.run("a", seed: 1, epochs: 2, knn: 0.5), Self.run("b", seed: 1, knn: 0.9)])
        #expect(grouping.duplicates.isEmpty)
        #expect(grouping.groups.count == 2)
    }

    @Test(.drawsFromTheRandomGenerator) func theScatterPlotHasOnePointPerExperiment() {
        var runs = [Self.run("a", seed: 1, epochs: 2, knn: 0.5), Self.run("b", seed: 1, knn: 0.9)]
        for index in runs.indices { runs[index].result.style = ["flip_acc": 0.5] }
        let html = HTMLReport(runs: runs).render()
        #expect(html.contains("SimVAE (epochs 2)"))
        #expect(html.contains("SimVAE (epochs 12)"))
    }
}

/// A row whose runs differ from their siblings in more than two options is named by its first run's folder.
@Test func rowsWithManyDistinctionsAreNamedByTheirFolder() {
    func run(_ name: String, seed: Int, _ configuration: [String: String]) -> ReportedRun {
        ReportedRun(name: name, method: "simvae", dataset: "mnist", seed: seed, configuration: configuration,
                    result: EvaluationResult(knnAccuracy: 0.5))
    }
    let many = ["epochs": "4", "learning_rate": "0.001", "schedule": "cosine"]
    let few = ["epochs": "2", "learning_rate": "8e-05", "schedule": "constant"]
    let labels = RunGrouping([run("runs/fast-1", seed: 1, many), run("runs/fast-2", seed: 2, many),
                              run("runs/authors", seed: 1, few)]).groups.map(\.label)
    #expect(labels == ["SimVAE (fast-1 +1 seeds)", "SimVAE (authors)"])
}
