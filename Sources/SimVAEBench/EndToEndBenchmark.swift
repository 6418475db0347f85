import SimVAEData
import SimVAEMethods
import Torch

/// Training throughput with everything in the loop: gather, augment (the paper's Fashion-MNIST pipeline),
/// forward, backward and Adam, for the MLP SimVAE with J = 10 views of 13 images (130 per step).
public enum EndToEndBenchmark {
    /// Images per second over `steps` steps after `warmup` steps.
    public static func imagesPerSecond(images: ImageSet, steps: Int = 30, warmup: Int = 3) throws -> Double {
        Runtime.seed(0)
        let views = DataBenchmark.views
        let model = SimVAE(encoder: MLP.paperEncoder(inputs: images.imageByteCount, latents: 10),
                           decoder: MLP.paperDecoder(latents: 10, outputs: images.imageByteCount), latents: 10,
                           imageShape: [images.channels, images.height, images.width], likelihood: .bernoulli)
        let optimizer = Adam(model.parameters(), learningRate: 8e-5, eps: 1e-4)
        let loader = try MultiViewLoader(images: images, setsPerBatch: DataBenchmark.setsPerBatch, views: views,
                                         pipeline: Dataset.fashionMNIST.paperAugmentation(), seed: 0)
        var batches = loader.batches(epoch: 1)
        var count = 0
        var watch = Stopwatch()
        for step in 0..<(warmup + steps) {
            if step == warmup { (watch, count) = (Stopwatch(), 0) }
            guard let batch = batches.next() else { break }
            optimizer.zeroGrad()
            model.loss(images: batch.images, views: views).loss.backward()
            optimizer.step()
            count += batch.images.size(0)
        }
        return Double(count) / watch.elapsed
    }
}
