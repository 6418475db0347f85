import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct KNNClassifierTests {
    @Test(.drawsFromTheRandomGenerator, arguments: KNNClassifier.Metric.allCases)
    func oneNeighbourOnTheTrainingSetItselfIsExact(metric: KNNClassifier.Metric) throws {
        // Random labels: only the point itself can predict its own label.
        Runtime.seed(1)
        let points = Tensor.randn([300, 6]) + 3
        let labels = Tensor.randint(0..<5, shape: [300])
        let result = try KNNClassifier(metric: metric, chunkSize: 64)
            .evaluate(train: (points, labels), test: (points, labels))
        #expect(result.accuracies.count == 20)
        #expect(result.accuracies[0] == 1)
        #expect(result.bestNeighbors == 1)
        #expect(result.bestAccuracy == 1)
    }

    @Test(.drawsFromTheRandomGenerator) func chunkingDoesNotChangeTheResult() throws {
        let train = gaussianClasses([[0, 0, 0], [2, 0, 0], [0, 2, 0]], count: 400, seed: 2)
        let test = gaussianClasses([[0, 0, 0], [2, 0, 0], [0, 2, 0]], count: 150, seed: 3)
        let whole = try KNNClassifier(chunkSize: 1000).evaluate(train: train, test: test)
        let chunked = try KNNClassifier(chunkSize: 7).evaluate(train: train, test: test)
        #expect(whole == chunked)
        #expect(whole.bestAccuracy > 0.7)
    }

    @Test(.drawsFromTheRandomGenerator) func votesForEveryKWithTiesGoingToTheNearestNeighbour() throws {
        // Training points on a line at 1, 2, 3, 4 with labels 0, 1, 1, 0; the query sits at 0.
        let train = Tensor([1.0, 2, 3, 4], shape: [4, 1])
        let labels = Tensor([Int64(0), 1, 1, 0])
        let query = (Tensor([0.0], shape: [1, 1]), Tensor([Int64(0)]))
        let result = try KNNClassifier(maxNeighbors: 4).evaluate(train: (train, labels), test: query)
        // k = 1: label 0. k = 2: one vote each, the nearest (label 0) wins. k = 3: label 1 has two votes.
        // k = 4: two votes each, the nearest (label 0) wins.
        #expect(result.accuracies == [1, 1, 0, 1])
    }

    @Test(.drawsFromTheRandomGenerator) func cosineIgnoresTheLength() throws {
        let train = Tensor([1.0, 0, 0, 1], shape: [2, 2])
        let labels = Tensor([Int64(0), 1])
        // (10, 1) is nearer to (0, 1) in Euclidean distance but points almost along (1, 0).
        let query = (Tensor([10.0, 1], shape: [1, 2]), Tensor([Int64(0)]))
        let cosine = try KNNClassifier(metric: .cosine, maxNeighbors: 1).evaluate(train: (train, labels), test: query)
        let euclidean = try KNNClassifier(maxNeighbors: 1).evaluate(train: (train, labels), test: query)
        #expect(cosine.accuracies == [1])
        #expect(euclidean.accuracies == [1])
        let far = (Tensor([0.5, 3], shape: [1, 2]), Tensor([Int64(0)]))
        #expect(try KNNClassifier(metric: .cosine, maxNeighbors: 1).evaluate(train: (train, labels), test: far)
            .accuracies == [0])
    }

    @Test(.drawsFromTheRandomGenerator) func userErrorsThrowSentences() {
        let points = Tensor.randn([10, 3])
        let labels = Tensor.randint(0..<2, shape: [10])
        #expect(throws: EvaluationError.rowCountMismatch(what: "test split", representations: 10, labels: 9)) {
            try KNNClassifier(maxNeighbors: 3).evaluate(train: (points, labels), test: (points, labels[0..<9]))
        }
        #expect(throws: EvaluationError.tooFewSamples(what: "kNN with k up to 20", samples: 10, needed: 20)) {
            try KNNClassifier().evaluate(train: (points, labels), test: (points, labels))
        }
        let broken = points.clone()
        broken[2].fill_(.nan)
        #expect(throws: EvaluationError.nonFiniteValues(what: "test representations")) {
            try KNNClassifier(maxNeighbors: 3).evaluate(train: (points, labels), test: (broken, labels))
        }
        #expect(throws: EvaluationError.self) {
            try KNNClassifier(maxNeighbors: 3).evaluate(train: (points, labels), test: (points, labels - 5))
        }
    }
}
