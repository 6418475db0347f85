import Foundation
import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ClusteringMetricsTests {
    @Test(.drawsFromTheRandomGenerator) func identicalLabellingsScoreOne() throws {
        let labels = [0, 1, 2, 0, 1, 2, 2]
        let scores = try ClusteringScores(labels: labels, predictions: labels)
        #expect(abs(scores.normalizedMutualInformation - 1) < 1e-12)
        #expect(scores.adjustedRandIndex == 1)
        #expect(scores.accuracy == 1)
    }

    @Test(.drawsFromTheRandomGenerator) func permutedLabellingsScoreOne() throws {
        let labels = [0, 0, 1, 1, 2, 2, 2]
        let scores = try ClusteringScores(labels: labels, predictions: labels.map { (($0 + 1) % 3) * 10 })
        #expect(abs(scores.normalizedMutualInformation - 1) < 1e-12)
        #expect(scores.adjustedRandIndex == 1)
        #expect(scores.accuracy == 1)
    }

    @Test(.drawsFromTheRandomGenerator) func independentLabellingsScoreAboutZero() throws {
        // Every (class, cluster) cell holds 25 of the 400 samples: the cluster says nothing about the class.
        let labels = (0..<400).map { $0 % 4 }
        let predictions = (0..<400).map { ($0 / 4) % 4 }
        let table = try ContingencyTable(labels: labels, predictions: predictions)
        #expect(table.counts == Array(repeating: Array(repeating: 25, count: 4), count: 4))
        #expect(table.normalizedMutualInformation == 0)
        #expect(abs(table.adjustedRandIndex) < 0.01)
        #expect(table.clusterAccuracy == 0.25)
    }

    @Test(.drawsFromTheRandomGenerator) func workedTextbookExample() throws {
        // labels [0 0 0 1 1 1], clusters [0 0 1 1 2 2]: contingency rows (2 1 0) and (0 1 2), N = 6.
        // MI = 2 · (2/6) · ln(2·6 / (3·2)) = (2/3) ln 2 = 0.462098; H(classes) = ln 2, H(clusters) = ln 3,
        // NMI = 0.462098 / ((ln 2 + ln 3) / 2) = 0.515804.
        // ARI: Σ C(n_ij, 2) = 2, Σ C(a_i, 2) = 6, Σ C(b_j, 2) = 3, C(6, 2) = 15, expected = 6 · 3 / 15 = 1.2,
        // maximum = (6 + 3) / 2 = 4.5, ARI = (2 − 1.2) / (4.5 − 1.2) = 0.242424.
        // Accuracy: clusters 0 → class 0 (2 samples), 2 → class 1 (2 samples): 4 / 6.
        let scores = try ClusteringScores(labels: [0, 0, 0, 1, 1, 1], predictions: [0, 0, 1, 1, 2, 2])
        #expect(abs(scores.normalizedMutualInformation - 0.515804) < 1e-6)
        #expect(abs(scores.adjustedRandIndex - 0.242424) < 1e-6)
        #expect(abs(scores.accuracy - 4.0 / 6.0) < 1e-12)
    }

    @Test(.drawsFromTheRandomGenerator) func degenerateCasesFollowScikitLearn() throws {
        let oneGroupEach = try ContingencyTable(labels: [3, 3, 3], predictions: [1, 1, 1])
        #expect(oneGroupEach.normalizedMutualInformation == 1)
        #expect(oneGroupEach.adjustedRandIndex == 1)
        let empty = try ContingencyTable(labels: [], predictions: [])
        #expect(empty.normalizedMutualInformation == 1)
        #expect(empty.adjustedRandIndex == 1)
        #expect(empty.clusterAccuracy == 1)
        let singleCluster = try ContingencyTable(labels: [0, 0, 1, 1], predictions: [4, 4, 4, 4])
        #expect(singleCluster.normalizedMutualInformation == 0)
        #expect(singleCluster.adjustedRandIndex == 0)
        #expect(singleCluster.clusterAccuracy == 0.5)
    }

    @Test(.drawsFromTheRandomGenerator) func mismatchedLengthsThrow() {
        #expect(throws: EvaluationError.lengthMismatch(labels: 2, predictions: 1)) {
            try ContingencyTable(labels: [0, 1], predictions: [0])
        }
    }

    @Test(.drawsFromTheRandomGenerator) func agreesWithScikitLearnFixture() throws {
        let fixture = try SklearnFixture.load()
        #expect(fixture.labelPairs.count >= 6)
        for pair in fixture.labelPairs {
            let scores = try ClusteringScores(labels: pair.labels, predictions: pair.predictions)
            #expect(abs(scores.normalizedMutualInformation - pair.nmi) < 1e-6, "NMI of \(pair.name)")
            #expect(abs(scores.adjustedRandIndex - pair.ari) < 1e-6, "ARI of \(pair.name)")
            #expect(abs(scores.accuracy - pair.accuracy) < 1e-12, "accuracy of \(pair.name)")
        }
    }
}

/// The reference values written by `scripts/reference/sklearn_fixtures.py`.
struct SklearnFixture: Decodable {
    struct LabelPair: Decodable {
        let name: String
        let labels: [Int]
        let predictions: [Int]
        let nmi: Double
        let ari: Double
        let accuracy: Double
    }

    let labelPairs: [LabelPair]

    /// Reads the fixture next to this test file (the test target declares no resources).
    static func load() throws -> SklearnFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sklearn_clustering.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(SklearnFixture.self, from: Data(contentsOf: url))
    }
}
