import SimVAEData
import Torch

/// Throughput of the data pipeline for `simvae bench`: the Fashion-MNIST training preset (crop + vertical flip),
/// J = 10 views of 13 images per batch (130 images, the nearest to 128 with J = 10).
public enum DataBenchmark {
    /// Samples per benchmark batch.
    public static let setsPerBatch = 13
    /// Views per sample.
    public static let views = 10

    /// Augmented images per second of the pipeline alone (on a batch already in float) and of the loader (gather,
    /// convert, augment), each timed for at least `seconds` after one warm-up batch.
    /// - Throws: `DataError` when `images` has fewer than `setsPerBatch` images.
    public static func run(images: ImageSet, seconds: Double = 1)
        throws -> (augmentImagesPerSecond: Double, loaderImagesPerSecond: Double)
    {
        let pipeline = Dataset.fashionMNIST.paperAugmentation()
        let loader = try MultiViewLoader(images: images, setsPerBatch: setsPerBatch, views: views,
                                         pipeline: pipeline, seed: 0)
        let firstSets = images.prefix(setsPerBatch).pixelTensor().to(.float32) / 255
        let source = Tensor.cat(Array(repeating: firstSets, count: views))
        var random = SplitMix64(seed: 0)
        let augment = imagesPerSecond(seconds: seconds) { pipeline.augment(source, using: &random).images.size(0) }
        return (augment, loaderImagesPerSecond(loader, seconds: seconds))
    }

    /// Images per second delivered by `loader`'s training batches (across epochs) while `step` consumes each batch,
    /// timed for at least `seconds` after one warm-up batch; compare `prefetch` on and off with a real training step.
    public static func loaderImagesPerSecond(_ loader: MultiViewLoader, seconds: Double = 1,
                                             step: (MultiViewBatch) -> Void = { _ in }) -> Double {
        var epoch = 0
        var batches = loader.batches(epoch: epoch)
        return imagesPerSecond(seconds: seconds) {
            guard let batch = batches.next() else {
                epoch += 1
                batches = loader.batches(epoch: epoch)
                return 0
            }
            step(batch)
            return batch.images.size(0)
        }
    }

    /// Calls `work` (which returns how many images it produced) once to warm up, then until `seconds` have passed.
    private static func imagesPerSecond(seconds: Double, _ work: () -> Int) -> Double {
        _ = work()
        let watch = Stopwatch()
        var images = 0
        var elapsed = 0.0
        repeat {
            images += work()
            elapsed = watch.elapsed
        } while elapsed < seconds
        return Double(images) / elapsed
    }
}
