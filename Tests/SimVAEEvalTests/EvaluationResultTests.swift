import Foundation
import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct EvaluationResultTests {
    @Test(.drawsFromTheRandomGenerator) func encodesTheDesignKeysAndRoundTrips() throws {
        let result = EvaluationResult(
            linearAccuracy: 0.9, knnAccuracy: 0.95, knnNeighbors: 7, gmmAdjustedRandIndex: -0.1,
            style: ["hair_colour": 0.6], method: "simvae", seed: 3, step: 40, limit: 200, seconds: ["knn": 1.5],
            probeSteps: ["linear": 4250])
        let data = try result.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["linear_acc", "knn_acc", "knn_k", "gmm_ari", "style", "method", "seed", "step",
                                     "limit", "seconds", "probe_steps"])
        #expect(try EvaluationResult(jsonData: data) == result)
    }

    @Test(.drawsFromTheRandomGenerator) func decodesAnEvalJSONWrittenElsewhere() throws {
        let json = #"{"mlp_acc": 0.5, "gmm_acc": 0.25, "gmm_nmi": 0.125, "knn_k": 5, "linear_acc": null, "extra": "x"}"#
        let result = try EvaluationResult(jsonData: Data(json.utf8))
        #expect(result == EvaluationResult(mlpAccuracy: 0.5, knnNeighbors: 5, gmmAccuracy: 0.25,
                                           gmmNormalizedMutualInformation: 0.125))
    }

    @Test(.drawsFromTheRandomGenerator) func refusesToWriteOutOfRangeScores() {
        #expect(throws: EvaluationError.invalidEntry(source: "the evaluation result", key: "style.hair", value: "1.5",
                                                     expected: "a fraction in [0, 1]")) {
            try EvaluationResult(style: ["hair": 1.5]).jsonData()
        }
        #expect(throws: EvaluationError.invalidEntry(source: "the evaluation result", key: "linear_acc", value: "nan",
                                                     expected: "a fraction in [0, 1]")) {
            try EvaluationResult(linearAccuracy: .nan).jsonData()
        }
    }

    /// Hand-edited `eval.json` files and the (key, value, expected) each must be refused with.
    static let invalidEntries: [(json: String, key: String, value: String, expected: String)] = [
        (#"{"knn_acc": 97.5}"#, "knn_acc", "97.5", "a fraction in [0, 1]"),
        (#"{"gmm_nmi": -0.25}"#, "gmm_nmi", "-0.25", "a fraction in [0, 1]"),
        (#"{"gmm_ari": -1.5}"#, "gmm_ari", "-1.5", "a number in [-1, 1]"),
        (#"{"knn_k": 0}"#, "knn_k", "0", "a whole number ≥ 1"),
        (#"{"knn_k": 2.5}"#, "knn_k", "2.5", "a whole number ≥ 1"),
        (#"{"knn_k": "five"}"#, "knn_k", #""five""#, "a whole number ≥ 1"),
        (#"{"mlp_acc": "0.9"}"#, "mlp_acc", #""0.9""#, "a fraction in [0, 1]"),
        (#"{"linear_acc": true}"#, "linear_acc", "true", "a fraction in [0, 1]"),
        (#"{"style": {"hair": "high"}}"#, "style.hair", #""high""#, "a fraction in [0, 1]"),
        (#"{"style": [0.5]}"#, "style", "an array", "an object whose every value is a fraction in [0, 1]"),
        (#"{"seconds": {"knn": -1}}"#, "seconds.knn", "-1", "a number of seconds ≥ 0"),
        (#"{"epochs": -1}"#, "epochs", "-1", "a whole number ≥ 0"),
        (#"{"limit": 0}"#, "limit", "0", "a whole number ≥ 1"),
        (#"{"probe_steps": {"mlp": 0}}"#, "probe_steps.mlp", "0", "a whole number ≥ 1"),
        (#"{"probe_steps": {"mlp": 1.5}}"#, "probe_steps.mlp", "1.5", "a whole number ≥ 1"),
        (#"{"method": 3}"#, "method", "3", "a string"),
    ]

    @Test(.drawsFromTheRandomGenerator, arguments: invalidEntries)
    func handEditedFileIsRefusedNamingFileAndKey(_ entry: (json: String, key: String, value: String,
                                                             expected: String)) throws {
        let url = try temporaryFile(entry.json)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = #expect(throws: EvaluationError.self) { try EvaluationResult(contentsOf: url) }
        #expect(error == .invalidEntry(source: url.path, key: entry.key, value: entry.value, expected: entry.expected))
        #expect(error?.description == "\(entry.key) in \(url.path) is \(entry.value), but it must be \(entry.expected).")
    }

    @Test(.drawsFromTheRandomGenerator, arguments: [
        (#"{"knn_acc": 0.9"#, "it is not valid JSON"), (#"{"linear_acc": NaN}"#, "it is not valid JSON"),
        ("", "it is not valid JSON"), ("[1, 2]", "it holds JSON but not an object"),
    ])
    func corruptFileIsOneSentenceNamingTheFile(_ json: String, reason: String) throws {
        let url = try temporaryFile(json)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = #expect(throws: EvaluationError.self) { try EvaluationResult(contentsOf: url) }
        #expect(error == .malformedJSON(source: url.path, reason: reason))
        #expect(error?.description == "\(url.path) cannot be read: \(reason).")
    }

    @Test(.drawsFromTheRandomGenerator) func anOverflowingNumberIsRefused() throws {
        #expect(throws: EvaluationError.self) { try EvaluationResult(jsonData: Data(#"{"gmm_acc": 1e999}"#.utf8)) }
    }
}

/// Writes `text` to a new temporary file and returns its URL.
func temporaryFile(_ text: String, named name: String = "eval.json") throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-eval-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}
