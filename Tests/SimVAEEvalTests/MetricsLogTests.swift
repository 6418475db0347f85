import Testing
@testable import SimVAEEval

@Suite struct MetricsLogTests {
    @Test func parsesRowsAndToleratesATruncatedLastLine() throws {
        let text = """
            {"epoch": 0, "step": 10, "loss": 2.5, "recon": 2.0, "lr": 0.0001, "phase": "train"}

            {"epoch": 0, "step": 20, "loss": 1.5, "kl": 0.25}
            {"epoch": 1, "step": 30, "lo
            """
        let log = try MetricsLog(parsing: text)
        #expect(log.records.count == 2)
        #expect(log.truncatedLine == 4)
        #expect(log.records[0].values["phase"] == nil)
        #expect(log.terms == ["loss", "lr", "recon", "kl"])
        #expect(log.curve(of: "loss") == [PlotPoint(x: 10, y: 2.5), PlotPoint(x: 20, y: 1.5)])
    }

    @Test func completeFileHasNoTruncatedLine() throws {
        let log = try MetricsLog(parsing: "{\"epoch\": 1, \"loss\": 3}\n")
        #expect(log.truncatedLine == nil)
        #expect(log.curve(of: "loss") == [PlotPoint(x: 1, y: 3)])
    }

    @Test func garbageIsAnErrorWithItsLineNumber() {
        #expect(throws: EvaluationError.malformedMetricsLine(source: "run/metrics.jsonl", line: 2, excerpt: "oops")) {
            try MetricsLog(parsing: "{\"loss\": 1}\noops\n{\"loss\": 2}\n", source: "run/metrics.jsonl")
        }
        #expect(throws: EvaluationError.malformedMetricsLine(source: "metrics.jsonl", line: 1, excerpt: "[1, 2]")) {
            try MetricsLog(parsing: "[1, 2]")
        }
    }

    @Test func errorMessageIsASentence() {
        let error = EvaluationError.malformedMetricsLine(source: "m.jsonl", line: 3, excerpt: "x")
        #expect(error.description == "Line 3 of m.jsonl is not a JSON object of metrics: \"x\".")
    }
}
