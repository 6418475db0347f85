import Testing
import Torch
@testable import SimVAEData

/// 23 small grey images (a prime count, so batches do not divide it).
private let images = SyntheticShapes.generate(count: 23, size: 12, channels: 1, seed: 2).images

@Suite struct MultiViewLoaderTests {
    @Test func batchesAreSetMajorWithSetIndicesLabelsAndParameters() throws {
        let loader = try MultiViewLoader(images: images, setsPerBatch: 4, views: 3,
                                         pipeline: Dataset.fashionMNIST.paperAugmentation(), seed: 1)
        let batch = try #require(Array(loader.batches(epoch: 0)).first)
        #expect(batch.images.shape == [12, 1, 12, 12] && batch.images.dtype == .float32)
        #expect(batch.views == 3 && batch.sampleCount == 4)
        let expected = batch.sampleIndices.flatMap { Array(repeating: Int64($0), count: 3) }
        #expect(batch.setIndex.scalars(as: Int64.self) == expected)
        #expect(batch.labels.scalars(as: Int64.self) == expected.map { Int64(images.labels[Int($0)]) })
        #expect(batch.parameters?.count == 12)
        #expect(batch.images.min().item >= 0 && batch.images.max().item <= 1)
    }

    @Test(arguments: [true, false])
    func oneEpochVisitsEverySampleExactlyOnce(dropLast: Bool) throws {
        let loader = try MultiViewLoader(images: images, setsPerBatch: 5, views: 2, pipeline: nil, seed: 9,
                                         dropLast: dropLast)
        let batches = Array(loader.batches(epoch: 3))
        #expect(batches.count == loader.batchesPerEpoch)
        #expect(batches.count == (dropLast ? 4 : 5))
        let visited = batches.flatMap(\.sampleIndices)
        #expect(Set(visited).count == visited.count)
        #expect(visited.count == (dropLast ? 20 : 23))
        if !dropLast { #expect(Set(visited) == Set(0 ..< 23)) }
        #expect(visited == Array(loader.order(epoch: 3).prefix(visited.count)))
        #expect(loader.order(epoch: 3) != loader.order(epoch: 4))
    }

    @Test func theSameSeedGivesTheSameBatchesWithOrWithoutPrefetching() throws {
        let pipeline = Dataset.mnist.paperAugmentation()
        let plain = try MultiViewLoader(images: images, setsPerBatch: 4, views: 2, pipeline: pipeline, seed: 5)
        let prefetched = try MultiViewLoader(images: images, setsPerBatch: 4, views: 2, pipeline: pipeline, seed: 5,
                                             prefetch: true)
        for (a, b) in zip(plain.batches(epoch: 1), prefetched.batches(epoch: 1)) {
            #expect(a.sampleIndices == b.sampleIndices && a.parameters == b.parameters)
            #expect((a.images - b.images).abs().max().item == 0)
        }
        #expect(Array(prefetched.batches(epoch: 1)).count == plain.batchesPerEpoch)
        let other = try MultiViewLoader(images: images, setsPerBatch: 4, views: 2, pipeline: pipeline, seed: 6)
        #expect(Array(other.batches(epoch: 1)).map(\.sampleIndices) != Array(plain.batches(epoch: 1)).map(\.sampleIndices))
    }

    @Test func theRanksShardsTogetherAreTheOneProcessBatch() throws {
        let pipeline = Dataset.fashionMNIST.paperAugmentation()
        let whole = try MultiViewLoader(images: images, setsPerBatch: 6, views: 2, pipeline: pipeline, seed: 3)
        let shards = try (0 ..< 3).map {
            try MultiViewLoader(images: images, setsPerBatch: 6, views: 2, pipeline: pipeline, seed: 3,
                                shard: .init(index: $0, count: 3))
        }
        #expect(shards.allSatisfy { $0.batchesPerEpoch == whole.batchesPerEpoch })
        for (index, batch) in whole.batches(epoch: 2).enumerated() {
            let parts = shards.map { Array($0.batches(epoch: 2))[index] }
            #expect(parts.map(\.sampleCount) == [2, 2, 2])
            #expect(parts.flatMap(\.sampleIndices) == batch.sampleIndices)
            #expect((Tensor.cat(parts.map(\.images)) - batch.images).abs().max().item == 0,
                    "each rank's views must be augmented as the one process augments them")
        }
        #expect(throws: DataError.self) {
            try MultiViewLoader(images: images, setsPerBatch: 5, views: 2, pipeline: nil, seed: 3,
                                shard: .init(index: 0, count: 2))
        }
    }

    @Test func evaluationBatchesAreTheUnaugmentedImagesInOrder() throws {
        let loader = try MultiViewLoader(images: images, setsPerBatch: 4, views: 3,
                                         pipeline: Dataset.mnist.paperAugmentation(), seed: 1, limit: 10)
        let batches = Array(loader.evaluationBatches(batchSize: 4))
        #expect(batches.map(\.sampleCount) == [4, 4, 2])
        #expect(batches.flatMap(\.sampleIndices) == Array(0 ..< 10))
        #expect(batches.allSatisfy { $0.views == 1 && $0.parameters == nil })
        let all = Tensor.cat(batches.map(\.images))
        let expected = images.prefix(10).pixelTensor().to(.float32) / 255
        #expect((all - expected).abs().max().item == 0)
    }

    @Test func unusableSettingsAreErrors() {
        let empty = images.prefix(0)
        #expect(throws: DataError.self) {
            try MultiViewLoader(images: images, setsPerBatch: 4, views: 0, pipeline: nil, seed: 0)
        }
        #expect(throws: DataError.self) {
            try MultiViewLoader(images: images, setsPerBatch: 0, views: 2, pipeline: nil, seed: 0)
        }
        #expect(throws: DataError.self) {
            try MultiViewLoader(images: empty, setsPerBatch: 4, views: 2, pipeline: nil, seed: 0)
        }
        #expect(throws: DataError.self) {
            try MultiViewLoader(images: images, setsPerBatch: 24, views: 2, pipeline: nil, seed: 0)
        }
        #expect(throws: DataError.self) {
            try MultiViewLoader(images: images, setsPerBatch: 4, views: 2,
                                pipeline: AugmentationPipeline(blur: GaussianBlur(kernelSize: 2)), seed: 0)
        }
    }
}
