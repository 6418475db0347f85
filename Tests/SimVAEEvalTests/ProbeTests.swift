import TestSupport
import Testing
import Torch
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct ProbeTests {
    static let centres: [[Double]] = [[0, 0, 0, 0], [6, 0, 0, 0], [0, 6, 0, 0], [0, 0, 6, 0]]

    @Test(.drawsFromTheRandomGenerator, arguments: ProbeHead.allCases)
    func separableClassesAreLearned(head: ProbeHead) throws {
        let train = gaussianClasses(Self.centres, count: 800, seed: 1)
        let test = gaussianClasses(Self.centres, count: 400, seed: 2)
        // A larger learning rate than the default 3e-4: 800 samples give few steps per epoch.
        let accuracy = try Probe(ProbeSettings(head: head, epochs: 40, minimumSteps: 0, batchSize: 32, learningRate: 1e-2))
            .classify(train: train, test: test)
        #expect(accuracy >= 0.99)
    }

    @Test(.drawsFromTheRandomGenerator) func binaryAndMultiLabelAttributesGetOneOutputEach() throws {
        Runtime.seed(3)
        let points = Tensor.randn([1200, 5])
        // Attribute 0 is the sign of feature 0, attribute 1 the sign of feature 1 − feature 2.
        let attributes = Tensor.stack([points.selected(dim: 1, index: 0) .> 0,
                                       points.selected(dim: 1, index: 1) - points.selected(dim: 1, index: 2) .> 0],
                                      dim: 1).float
        let probe = Probe(ProbeSettings(epochs: 40, minimumSteps: 0, batchSize: 32, learningRate: 1e-2))
        let scores = try probe.classifyAttributes(train: (points[0..<1000], attributes[0..<1000]),
                                                  test: (points[1000..<1200], attributes[1000..<1200]))
        #expect(scores.count == 2)
        #expect(scores.allSatisfy { $0 >= 0.97 })
        let single = try probe.classifyAttributes(train: (points[0..<1000], attributes[0..<1000].selected(dim: 1, index: 0)),
                                                  test: (points[1000..<1200], attributes[1000..<1200].selected(dim: 1, index: 0)))
        #expect(single.count == 1 && single[0] >= 0.97)
    }

    @Test(.drawsFromTheRandomGenerator) func regressionReportsRSquaredPerTarget() throws {
        Runtime.seed(4)
        let points = Tensor.randn([1200, 3])
        // Target 0 is linear in the representation, target 1 is noise it cannot predict.
        let targets = Tensor.stack([points.selected(dim: 1, index: 0) * 3 + 1, Tensor.randn([1200])], dim: 1)
        let scores = try Probe(ProbeSettings(epochs: 30, minimumSteps: 0, batchSize: 32, learningRate: 1e-2))
            .regress(train: (points[0..<1000], targets[0..<1000]), test: (points[1000..<1200], targets[1000..<1200]))
        #expect(scores[0] > 0.98)
        #expect(scores[1] < 0.05)
    }

    @Test(.drawsFromTheRandomGenerator) func earlyStoppingOnAValidationPartStillLearns() throws {
        let train = gaussianClasses(Self.centres, count: 800, seed: 5)
        let test = gaussianClasses(Self.centres, count: 400, seed: 6)
        let settings = ProbeSettings(epochs: 200, minimumSteps: 0, batchSize: 32, learningRate: 1e-2, validationFraction: 0.2,
                                     patience: 3)
        #expect(try Probe(settings).classify(train: train, test: test) >= 0.99)
    }

    @Test(.drawsFromTheRandomGenerator) func theSameSeedGivesTheSameAccuracy() throws {
        let train = gaussianClasses(Self.centres, count: 300, noise: 3, seed: 7)
        let test = gaussianClasses(Self.centres, count: 300, noise: 3, seed: 8)
        let probe = Probe(ProbeSettings(head: .mlp, epochs: 5, minimumSteps: 0, seed: 9))
        #expect(try probe.classify(train: train, test: test) == probe.classify(train: train, test: test))
    }

    @Test(.drawsFromTheRandomGenerator) func userErrorsThrowSentences() {
        let points = Tensor.randn([20, 3])
        let labels = Tensor.randint(0..<2, shape: [20])
        #expect(throws: EvaluationError.rowCountMismatch(what: "training split", representations: 20, labels: 19)) {
            try Probe().classify(train: (points, labels[0..<19]), test: (points, labels))
        }
        #expect(throws: EvaluationError.invalidSetting(name: "epochs", value: "0", expected: "at least 1")) {
            try Probe(ProbeSettings(epochs: 0, minimumSteps: 0)).classify(train: (points, labels), test: (points, labels))
        }
        #expect(throws: EvaluationError.invalidLabels(what: "training attributes",
                                                      reason: "binary attributes must be 0 or 1.")) {
            try Probe().classifyAttributes(train: (points, labels.float * 2), test: (points, labels.float))
        }
        #expect(throws: EvaluationError.self) {
            try Probe().classify(train: (points, labels), test: (Tensor.randn([20, 4]), labels))
        }
    }
}

@Test(.drawsFromTheRandomGenerator) func smallTrainingSplitsStillGetTheMinimumNumberOfSteps() {
    let settings = ProbeSettings(epochs: 50, minimumSteps: 2000, batchSize: 256)
    #expect(settings.epochs(forSamples: 60_000) == 50)
    #expect(settings.epochs(forSamples: 512) == 1000)
    #expect(settings.epochs(forSamples: 100) == 2000)
}
