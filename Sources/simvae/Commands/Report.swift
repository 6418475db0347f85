import ArgumentParser
import Foundation
import SimVAEEval
import SimVAEMethods

/// `simvae report`: compare evaluated runs in one self-contained HTML page (and Markdown).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare evaluated runs like the paper's Table 1: an HTML page with plots, and Markdown.",
        discussion: """
            Runs share a row when they differ only in their seed: same method, dataset and options (all but the \
            seed, --data-dir and --log-every), evaluated the same way (checkpoint epoch, eval --limit, protocol \
            settings). Other runs get rows of their own, labelled with what differs, e.g. "SimVAE (epochs 2)". \
            The mean ± s.e. is over distinct seeds: a run repeating the configuration and seed of an earlier \
            one is counted once, with a warning.
            """)

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
        try runFolders.forEach(PathOption.validateRun)
        try PathOption.validate(out, flag: "--out")
        if let markdown { try PathOption.validate(markdown, flag: "--markdown") }
    }

    func run() throws {
        try reportingErrors {
            let runs = try runFolders.map(ReportedRun.init(folder:))
            var standardError = FileHandle.standardError
            for duplicate in RunGrouping(runs).duplicates { print("warning: \(duplicate)", to: &standardError) }
            let report = HTMLReport(runs: runs, title: title)
            try report.write(to: URL(fileURLWithPath: out))
            let tables = (ComparisonTable.tables(for: runs) + ComparisonTable.tables(for: runs, scores: .style))
                .map(\.markdown).joined(separator: "\n\n")
            if let markdown {
                do {
                    try Data(tables.utf8).write(to: URL(fileURLWithPath: markdown))
                } catch {
                    throw ConfigurationError("--markdown: cannot write \(markdown): \(error.localizedDescription)")
                }
            }
            print(tables)
            print("\nwrote \(URL(fileURLWithPath: out).path)")
        }
    }
}

extension ReportedRun {
    /// Reads a run folder's configuration, evaluation, metrics and pictures; the run is named by `folder`.
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
        let name = folder.count > 1 && folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        self.init(name: name, method: configuration.method.name, dataset: configuration.dataset.name,
                  seed: Int(configuration.seed), configuration: try configuration.experimentOptions(),
                  result: try EvaluationResult(contentsOf: run.evaluation), metrics: metrics,
                  reconstructionImage: picture("reconstructions.png"), sampleImage: picture("samples.png"))
    }
}

extension TrainingConfiguration {
    /// The options that make a run's experiment, by `config.json` key, as text (`"epochs": "12"`): every option
    /// but the seed (it tells the experiment's runs apart), the data folder (the same data may be read from
    /// different places), the logging interval and the monitor's interval (they change no result).
    func experimentOptions() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard var options = try JSONSerialization.jsonObject(with: encoder.encode(self)) as? [String: Any] else {
            throw ConfigurationError("the configuration of \(method.name) on \(dataset) is not a JSON object")
        }
        for ignored in [ConfigurationField.seed, .dataDirectory, .logEvery, .monitorEvery] {
            options[ignored.key] = nil
        }
        return try options.mapValues { value in
            if let text = value as? String { return text }
            let json = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            return String(decoding: json, as: UTF8.self)
        }
    }
}
