import Foundation
import Testing
@testable import SimVAEEval

@Suite struct EvaluationResultTests {
    @Test func encodesTheDesignKeysAndRoundTrips() throws {
        let result = EvaluationResult(
            linearAccuracy: 0.9, knnAccuracy: 0.95, knnNeighbors: 7, gmmAdjustedRandIndex: -0.1,
            style: ["hair_colour": 0.6], method: "simvae", seed: 3, seconds: ["knn": 1.5])
        let data = try result.jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["linear_acc", "knn_acc", "knn_k", "gmm_ari", "style", "method", "seed", "seconds"])
        #expect(try EvaluationResult(jsonData: data) == result)
    }

    @Test func decodesAnEvalJSONWrittenElsewhere() throws {
        let json = #"{"mlp_acc": 0.5, "gmm_acc": 0.25, "gmm_nmi": 0.125, "knn_k": 5, "extra": "ignored"}"#
        let result = try EvaluationResult(jsonData: Data(json.utf8))
        #expect(result == EvaluationResult(mlpAccuracy: 0.5, knnNeighbors: 5, gmmAccuracy: 0.25,
                                           gmmNormalizedMutualInformation: 0.125))
    }

    @Test func rejectsPercentagesAndGarbage() {
        #expect(throws: EvaluationError.fractionOutOfRange(key: "knn_acc", value: 97.5)) {
            try EvaluationResult(jsonData: Data(#"{"knn_acc": 97.5}"#.utf8))
        }
        #expect(throws: EvaluationError.fractionOutOfRange(key: "style.hair", value: 1.5)) {
            try EvaluationResult(style: ["hair": 1.5]).jsonData()
        }
        #expect(throws: EvaluationError.self) { try EvaluationResult(jsonData: Data("[1, 2]".utf8)) }
    }
}
