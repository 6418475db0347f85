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
        let outcome = try Probe(quickProbeSettings(head: head)).classify(train: train, test: test)
        #expect(outcome.score >= 0.99)
        #expect(outcome.steps < 3000, "a separable problem converges before the cap")
    }

    @Test(.drawsFromTheRandomGenerator) func binaryAndMultiLabelAttributesGetOneOutputEach() throws {
        Runtime.seed(3)
        let points = Tensor.randn([1200, 5])
        // Attribute 0 is the sign of feature 0, attribute 1 the sign of feature 1 − feature 2.
        let attributes = Tensor.stack([points.selected(dim: 1, index: 0) .> 0,
                                       points.selected(dim: 1, index: 1) - points.selected(dim: 1, index: 2) .> 0],
                                      dim: 1).float
        let probe = Probe(quickProbeSettings())
        let scores = try probe.classifyAttributes(train: (points[0..<1000], attributes[0..<1000]),
                                                  test: (points[1000..<1200], attributes[1000..<1200])).score
        #expect(scores.count == 2)
        #expect(scores.allSatisfy { $0 >= 0.97 })
        let single = try probe.classifyAttributes(train: (points[0..<1000], attributes[0..<1000].selected(dim: 1, index: 0)),
                                                  test: (points[1000..<1200], attributes[1000..<1200].selected(dim: 1, index: 0))).score
        #expect(single.count == 1 && single[0] >= 0.97)
    }

    @Test(.drawsFromTheRandomGenerator) func regressionReportsRSquaredPerTarget() throws {
        Runtime.seed(4)
        let points = Tensor.randn([1200, 3])
        // Target 0 is linear in the representation, target 1 is noise it cannot predict.
        let targets = Tensor.stack([points.selected(dim: 1, index: 0) * 3 + 1, Tensor.randn([1200])], dim: 1)
        let scores = try Probe(quickProbeSettings())
            .regress(train: (points[0..<1000], targets[0..<1000]), test: (points[1000..<1200], targets[1000..<1200]))
            .score
        #expect(scores[0] > 0.98)
        #expect(scores[1] < 0.05)
    }

    @Test(.drawsFromTheRandomGenerator) func aSmallSplitTrainsUntilConvergedAtTheDefaultLearningRate() throws {
        // 300 samples make 2 steps an epoch: a fixed number of epochs would stop this probe long before it learns.
        let train = gaussianClasses(Self.centres, count: 300, seed: 5)
        let test = gaussianClasses(Self.centres, count: 400, seed: 6)
        let outcome = try Probe(ProbeSettings(evaluationInterval: 100)).classify(train: train, test: test)
        #expect(outcome.score >= 0.98)
        #expect(outcome.steps > 1000 && outcome.steps < 50_000 && outcome.steps % 100 == 0)
    }

    @Test(.drawsFromTheRandomGenerator) func theStepCapEndsTrainingThatHasNotConverged() throws {
        let train = gaussianClasses(Self.centres, count: 300, seed: 10)
        var settings = quickProbeSettings()
        settings.maximumSteps = 37
        #expect(try Probe(settings).classify(train: train, test: train).steps == 37)
    }

    @Test(.drawsFromTheRandomGenerator) func theSameSeedGivesTheSameAccuracy() throws {
        let train = gaussianClasses(Self.centres, count: 300, noise: 3, seed: 7)
        let test = gaussianClasses(Self.centres, count: 300, noise: 3, seed: 8)
        let probe = Probe(ProbeSettings(head: .mlp, maximumSteps: 100, seed: 9))
        #expect(try probe.classify(train: train, test: test) == probe.classify(train: train, test: test))
    }

    @Test(.drawsFromTheRandomGenerator) func userErrorsThrowSentences() {
        let points = Tensor.randn([20, 3])
        let labels = Tensor.randint(0..<2, shape: [20])
        #expect(throws: EvaluationError.rowCountMismatch(what: "training split", representations: 20, labels: 19)) {
            try Probe().classify(train: (points, labels[0..<19]), test: (points, labels))
        }
        #expect(throws: EvaluationError.invalidSetting(name: "maximumSteps", value: "0", expected: "at least 1")) {
            try Probe(ProbeSettings(maximumSteps: 0)).classify(train: (points, labels), test: (points, labels))
        }
        #expect(throws: EvaluationError.invalidSetting(name: "tolerance", value: "1.0", expected: "in [0, 1)")) {
            try Probe(ProbeSettings(tolerance: 1)).classify(train: (points, labels), test: (points, labels))
        }
        #expect(throws: EvaluationError.tooFewSamples(what: "A probe holding out 0.1 of its training split",
                                                      samples: 1, needed: 2)) {
            try Probe().classify(train: (points[0..<1], labels[0..<1]), test: (points, labels))
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

@Test func convergenceWaitsForPatienceMeasurementsWithoutARelativeImprovement() {
    var criterion = Convergence(ProbeSettings(patience: 2, tolerance: 0.1))
    let firstIsLowest = criterion.record(10)
    // 9.5 is the lowest loss so far, so its parameters are kept, but not 10 % below 10: no improvement.
    let smallDropIsLowest = criterion.record(9.5)
    let convergedAfterOne = criterion.hasConverged
    let riseIsLowest = criterion.record(9.6)
    #expect(firstIsLowest && smallDropIsLowest && !riseIsLowest)
    #expect(!convergedAfterOne && criterion.hasConverged)
}

@Test func anImprovementResetsThePatience() {
    var criterion = Convergence(ProbeSettings(patience: 2, tolerance: 0.1))
    for loss in [10.0, 9.8, 8.9, 8.8] { _ = criterion.record(loss) }
    #expect(!criterion.hasConverged && criterion.lowest == 8.8)
    _ = criterion.record(8.7)
    #expect(criterion.hasConverged)
}
