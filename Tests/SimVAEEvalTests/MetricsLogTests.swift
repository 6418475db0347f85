import Foundation
import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct MetricsLogTests {
    @Test(.drawsFromTheRandomGenerator) func parsesRowsAndToleratesATruncatedLastLine() throws {
        let text = """
            {"epoch": 0, "step": 10, "loss": 2.5, "recon": 2.0, "lr": 0.0001, "kl": null}

            {"epoch": 0, "step": 20, "loss": 1.5, "kl": 0.25}
            {"epoch": 1, "step": 30, "lo
            """
        let log = try MetricsLog(parsing: text)
        #expect(log.records.count == 2)
        #expect(log.truncatedLine == 4)
        #expect(log.records[0].values["kl"] == nil)
        #expect(log.terms == ["loss", "lr", "recon", "kl"])
        #expect(log.curve(of: "loss") == [PlotPoint(x: 10, y: 2.5), PlotPoint(x: 20, y: 1.5)])
    }

    @Test(.drawsFromTheRandomGenerator) func completeFileHasNoTruncatedLine() throws {
        let log = try MetricsLog(parsing: "{\"epoch\": 1, \"loss\": 3}\n")
        #expect(log.truncatedLine == nil)
        #expect(log.curve(of: "loss") == [PlotPoint(x: 1, y: 3)])
    }

    @Test(.drawsFromTheRandomGenerator) func garbageIsAnErrorWithItsLineNumber() {
        #expect(throws: EvaluationError.malformedMetricsLine(source: "run/metrics.jsonl", line: 2, excerpt: "oops")) {
            try MetricsLog(parsing: "{\"loss\": 1}\noops\n{\"loss\": 2}\n", source: "run/metrics.jsonl")
        }
        #expect(throws: EvaluationError.malformedMetricsLine(source: "metrics.jsonl", line: 1, excerpt: "[1, 2]")) {
            try MetricsLog(parsing: "[1, 2]")
        }
    }

    @Test(.drawsFromTheRandomGenerator) func aTornLineInTheMiddleIsAnError() throws {
        #expect(throws: EvaluationError.malformedMetricsLine(source: "m.jsonl", line: 2, excerpt: #"{"step": 2, "lo"#)) {
            try MetricsLog(parsing: "{\"step\": 1}\n{\"step\": 2, \"lo\n{\"step\": 3}\n", source: "m.jsonl")
        }
        #expect(try MetricsLog(parsing: "{\"step\": 1}\n{\"step\": 2, \"lo\n\n\n").truncatedLine == 2)
    }

    /// Hand-edited lines and the (key, value, expected) each must be refused with, on line 2.
    static let invalidFields: [(line: String, key: String, value: String, expected: String)] = [
        (#"{"step": 2, "loss": "1.5"}"#, "loss", #""1.5""#, "a number or null"),
        (#"{"step": 2, "loss": [1]}"#, "loss", "an array", "a number or null"),
        (#"{"step": 2, "phase": "train"}"#, "phase", #""train""#, "a number or null"),
        (#"{"step": 2.5, "loss": 1}"#, "step", "2.5", "a whole number ≥ 0"),
        (#"{"epoch": -1, "loss": 1}"#, "epoch", "-1", "a whole number ≥ 0"),
        (#"{"step": "two", "loss": 1}"#, "step", #""two""#, "a whole number ≥ 0"),
        (#"{"step": 2, "loss": 1e999}"#, "loss", "an out-of-range number", "a number or null"),
    ]

    @Test(.drawsFromTheRandomGenerator, arguments: invalidFields)
    func aFieldOfTheWrongTypeNamesTheFileLineAndKey(_ field: (line: String, key: String, value: String,
                                                                expected: String)) throws {
        let url = try temporaryFile("{\"step\": 1, \"loss\": 2}\n\(field.line)\n{\"step\": 3}\n", named: "metrics.jsonl")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = #expect(throws: EvaluationError.self) { try MetricsLog(contentsOf: url) }
        #expect(error == .invalidEntry(source: "line 2 of \(url.path)", key: field.key, value: field.value,
                                       expected: field.expected))
    }

    @Test(.drawsFromTheRandomGenerator) func errorMessageIsASentence() {
        let error = EvaluationError.malformedMetricsLine(source: "m.jsonl", line: 3, excerpt: "x")
        #expect(error.description == "Line 3 of m.jsonl is not a JSON object of metrics: \"x\".")
        let field = EvaluationError.invalidEntry(source: "line 2 of m.jsonl", key: "step", value: "2.5",
                                                 expected: "a whole number ≥ 0")
        #expect(field.description == "step in line 2 of m.jsonl is 2.5, but it must be a whole number ≥ 0.")
    }
}
