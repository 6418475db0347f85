import ArgumentParser
import Foundation
import SimVAEEval
import SimVAEMethods

/// `simvae report`: compare evaluated runs in one self-contained HTML page (and Markdown).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare evaluated runs like the paper's Table 1: an HTML page with plots, and Markdown.")

    @Option(name: .customLong("runs"), parsing: .upToNextOption, help: "Run folders (each evaluated with simvae eval).")
    var runFolders: [String]
    @Option(help: "Where to write the HTML page.")
    var out: String
    @Option(help: "Also write the Markdown table to this file.")
    var markdown: String?
    @Option(help: "Page title.")
    var title = "SimVAE report"

    func validate() throws {
        if runFolders.isEmpty { throw ValidationError("--runs needs at least one run folder.") }
    }

    func run() throws {
        try reportingErrors {
            let runs = try runFolders.map(ReportedRun.init(folder:))
            let report = HTMLReport(runs: runs, title: title)
            try report.write(to: URL(fileURLWithPath: out))
            let tables = ComparisonTable.tables(for: runs).map(\.markdown).joined(separator: "\n\n")
            if let markdown { try Data(tables.utf8).write(to: URL(fileURLWithPath: markdown)) }
            print(tables)
            print("\nwrote \(URL(fileURLWithPath: out).path)")
        }
    }
}

extension ReportedRun {
    /// Reads a run folder's configuration, evaluation, metrics and pictures.
    init(folder: String) throws {
        let run = RunDirectory(path: folder)
        let configuration = try run.readConfiguration()
        guard FileManager.default.fileExists(atPath: run.evaluation.path) else {
            throw ConfigurationError("\(folder) has no eval.json yet: run `simvae eval --run \(folder)` first")
        }
        let metrics = FileManager.default.fileExists(atPath: run.metrics.path)
            ? try MetricsLog(contentsOf: run.metrics) : MetricsLog(records: [])
        let picture = { (name: String) -> URL? in
            let url = run.images.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        self.init(name: run.url.lastPathComponent, method: configuration.method.rawValue,
                  dataset: configuration.dataset, seed: Int(configuration.seed),
                  result: try EvaluationResult(contentsOf: run.evaluation), metrics: metrics,
                  reconstructionImage: picture("reconstructions.png"), sampleImage: picture("samples.png"))
    }
}
