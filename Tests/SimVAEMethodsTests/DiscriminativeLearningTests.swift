import Foundation
import SimVAEData
import TestSupport
import Testing
import Torch
@testable import SimVAEMethods

/// Every discriminative method learns: after a few hundred steps on the synthetic shapes its representations
/// classify the shapes by nearest neighbour clearly better than those of the untrained encoder.
@Suite(.serialized, .drawsFromTheRandomGenerator) struct DiscriminativeLearningTests {
    /// Training images, test images, steps per epoch at 32 sets of 2 views.
    static let (trainImages, testImages, epochs) = (1_024, 512, 8)

    /// 1-nearest-neighbour accuracy on the test split of representations of `run`'s model.
    static func nearestNeighbourAccuracy(_ run: RunDirectory) throws -> Double {
        let trained = try TrainedModel(run: run)
        func represent(_ split: DataSplit, _ count: Int) throws -> (Tensor, Tensor) {
            let images = try DatasetLoader.load(.synthetic, split: split, limit: count)
            let features = withNoGrad { trained.model.representation(images.pixelTensor().to(.float32) / 255) }
            return (Functional.normalize(features, dim: 1), Tensor(images.labels.map(Int64.init)))
        }
        let (train, trainLabels) = try represent(.train, trainImages)
        let (test, testLabels) = try represent(.test, testImages)
        let nearest = test.matmul(train.transposed(0, 1)).argmax(dim: 1)
        let predicted = trainLabels.indexSelect(dim: 0, nearest)
        return (predicted .== testLabels).to(.float64).mean().item
    }

    /// A small configuration of `method` on the synthetic shapes.
    static func configuration(_ method: Method) -> TrainingConfiguration {
        var configuration = TrainingConfiguration.defaults(method: method, dataset: .synthetic)
        (configuration.limit, configuration.batchSize, configuration.latents) = (trainImages, 64, 32)
        configuration.epochs = method.family == .untrained ? 0 : epochs
        configuration.learningRate = 1e-3
        configuration.augmentation = .simclr
        if let widths = method.hyperparameters.first(where: { $0.flag == "--projection" }) {
            try! configuration.options.set(parsing: "128,64", for: widths)
        }
        if method == .moco { configuration[MoCo.queueSize] = 256 }
        return configuration
    }

    static let baseline: Double = {
        let run = runFolder()
        defer { try? FileManager.default.removeItem(at: run.url) }
        try! train(configuration(.random), in: run)
        return try! nearestNeighbourAccuracy(run)
    }()

    @Test(arguments: Method.registered.filter { $0.family == .discriminative })
    func beatsTheUntrainedEncoder(method: Method) throws {
        let run = runFolder()
        defer { try? FileManager.default.removeItem(at: run.url) }
        try train(Self.configuration(method), in: run)
        let accuracy = try Self.nearestNeighbourAccuracy(run)
        print("\(method.name): 1-NN \(accuracy), untrained \(Self.baseline)")
        #expect(accuracy > Self.baseline + 0.1, "\(method.name): 1-NN \(accuracy), untrained \(Self.baseline)")
    }
}
