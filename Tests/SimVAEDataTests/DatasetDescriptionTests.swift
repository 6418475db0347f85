import Foundation
import Testing
import Torch
@testable import SimVAEData

/// Each dataset's description holds what the rest of the toolkit asks about it.
@Suite struct DatasetDescriptionTests {
    @Test func namesAreUniqueAndColourDatasetsGetTheResNetAndGaussianPixels() {
        let datasets = Dataset.registered
        #expect(Set(datasets.map(\.name)).count == datasets.count)
        for dataset in datasets {
            let colour = dataset.imageShape[0] == 3
            #expect(dataset.defaults.likelihood == (colour ? .gaussian(logVariance: -4.6) : .bernoulli), "\(dataset)")
            #expect(dataset.defaults.latents == (colour ? 64 : 10), "\(dataset)")
        }
        // An image folder holds natural images, like CIFAR-10: it gets the ResNet, not the MLP of the digits.
        #expect(Dataset.folder.defaults == Dataset.cifar10.defaults)
        #expect(Dataset.celeba.splits == [.train, .valid, .test])
    }

    @Test func generatedDatasetLoadsWithTheShapeItDescribes() throws {
        let images = try DatasetLoader.load(.synthetic, split: .test, limit: 8)
        #expect(images.shape == [8] + Dataset.synthetic.imageShape)
        #expect(images.classNames == Dataset.synthetic.classNames)
        #expect(throws: DataError.self) { try DatasetLoader.load(.synthetic, split: .valid) }
    }

    /// A dataset defined outside the package registers and loads like the shipped ones.
    @Test func aDatasetFromOutsideRegistersAndLoads() throws {
        let dataset = Dataset(
            name: "test-constant", location: .generated, howToGet: "nothing to get", classNames: ["only"],
            imageShape: [1, 2, 2], defaults: .greyDigits, paperAugmentation: { _ in AugmentationPipeline() },
            load: { request in
                let count = min(request.limit ?? 3, 3)
                return ImageSet(pixels: [UInt8](repeating: 7, count: count * 4), count: count, channels: 1, height: 2,
                                width: 2, labels: Array(repeating: 0, count: count), classNames: ["only"])
            })
        if Dataset.named(dataset.name) == nil { try Dataset.register(dataset) }
        #expect(throws: NamedRegistry<Dataset>.DuplicateName.self) { try Dataset.register(dataset) }
        #expect(try DatasetLoader.load(Dataset.named("test-constant")!, split: .train).count == 3)
    }
}
