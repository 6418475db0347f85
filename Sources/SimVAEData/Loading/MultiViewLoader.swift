import Torch

/// Serves an image set as multi-view batches: per epoch a seeded shuffle, then batches of `setsPerBatch` samples ×
/// `views` augmented views ([B·J, C, H, W] float32 in [0, 1], set-major), plus un-augmented batches in order for
/// evaluation.
///
/// The images become one uint8 tensor once; each batch gathers its rows, converts them to float and augments
/// them. Every random choice comes from `SplitMix64` streams derived from (seed, epoch) for the shuffle and
/// (seed, epoch, batch) for the augmentation, so a batch does not depend on threads, prefetching or on where a
/// resumed run started.
///
/// `@unchecked Sendable`: every stored property is a constant, and the only tensor (the pixels) is only read
/// (`index_select`), which libtorch allows from several threads at once; this lets a background thread prefetch.
public final class MultiViewLoader: @unchecked Sendable {
    /// B, samples per batch.
    public let setsPerBatch: Int
    /// J, augmented views per sample.
    public let views: Int
    /// The augmentation, or nil to repeat each sample unchanged.
    public let pipeline: AugmentationPipeline?
    /// The seed of shuffles and augmentations.
    public let seed: UInt64
    /// Whether an epoch's last, smaller batch is dropped.
    public let dropLast: Bool
    /// Whether the next batch is prepared on a background thread while the caller uses the current one.
    public let prefetch: Bool
    /// Where batches are made and delivered.
    public let device: Device
    /// The number of images served.
    public let count: Int

    private let pixels: Tensor
    private let labels: [Int]

    /// Creates a loader over `images` (its first `limit` images when given).
    /// - Parameter prefetch: prepare batch k + 1 while the caller trains on batch k. Off by default: on a 2-core CPU
    ///   with a 784-1024-1024-64 MLP step (13 × 10 Fashion-MNIST views per batch) it did not pay off (≈ 4.7k
    ///   against 4.9k images/s with one libtorch thread), as making a batch costs under a tenth of the step.
    /// - Throws: `DataError` when `setsPerBatch` or `views` is below 1, the image set is empty, `dropLast` leaves no
    ///   batch at all, or the pipeline's settings are unusable.
    public init(images: ImageSet, setsPerBatch: Int, views: Int, pipeline: AugmentationPipeline?, seed: UInt64,
                dropLast: Bool = true, prefetch: Bool = false, limit: Int? = nil, device: Device = .cpu) throws {
        guard setsPerBatch >= 1 else { throw DataError("a batch needs at least 1 sample, got \(setsPerBatch)") }
        guard views >= 1 else { throw DataError("each sample needs at least 1 view, got \(views)") }
        let images = images.prefix(limit)
        guard images.count > 0 else { throw DataError("the image set is empty: there is nothing to load") }
        guard !dropLast || setsPerBatch <= images.count else {
            throw DataError("a batch of \(setsPerBatch) samples is larger than the \(images.count) images, so "
                + "dropping the last partial batch leaves none: use a smaller batch or keep the last batch")
        }
        try pipeline?.validate()
        self.setsPerBatch = setsPerBatch
        self.views = views
        self.pipeline = pipeline
        self.seed = seed
        self.dropLast = dropLast
        self.prefetch = prefetch
        self.device = device
        self.count = images.count
        self.pixels = images.pixelTensor().to(device)
        self.labels = images.labels
    }

    /// Training batches per epoch.
    public var batchesPerEpoch: Int {
        dropLast ? count / setsPerBatch : (count + setsPerBatch - 1) / setsPerBatch
    }

    /// The order in which `epoch` visits the images: a permutation of `0 ..< count`, the same for the same seed.
    public func order(epoch: Int) -> [Int] {
        var random = SplitMix64(seed: seed, stream: [0, UInt64(truncatingIfNeeded: epoch)])
        return random.permutation(of: count)
    }

    /// The training batches of `epoch`, in order (prefetching one ahead when `prefetch` is set).
    public func batches(epoch: Int) -> MultiViewBatches {
        MultiViewBatches(loader: self, epoch: epoch, order: order(epoch: epoch))
    }

    /// Batch `index` of `epoch` given the epoch's order; the same arguments always give the same batch.
    func batch(epoch: Int, index: Int, order: [Int]) -> MultiViewBatch {
        let start = index * setsPerBatch
        let samples = Array(order[start ..< min(start + setsPerBatch, count)])
        let random = SplitMix64(seed: seed, stream: [1, UInt64(truncatingIfNeeded: epoch), UInt64(index)])
        return makeBatch(samples: samples, views: views, augmentingWith: random)
    }

    /// Un-augmented batches of `batchSize` images (B·J by default) in dataset order, the last one possibly smaller,
    /// with one view each: for extracting representations.
    public func evaluationBatches(batchSize: Int? = nil) -> some Sequence<MultiViewBatch> {
        let size = max(1, batchSize ?? setsPerBatch * views)
        return stride(from: 0, to: count, by: size).lazy.map { start in
            self.makeBatch(samples: Array(start ..< min(start + size, self.count)), views: 1, augmentingWith: nil)
        }
    }

    /// Gathers `samples`, each repeated `views` times, as float images in [0, 1], augmented by the pipeline with
    /// parameters drawn from `random` (not augmented when `random` is nil or there is no pipeline).
    private func makeBatch(samples: [Int], views: Int, augmentingWith random: SplitMix64?) -> MultiViewBatch {
        withNoGrad {
            let rows = samples.flatMap { repeatElement(Int64($0), count: views) }
            let setIndex = Tensor(rows).to(device)
            var images = pixels.indexSelect(dim: 0, setIndex).to(.float32) / 255
            var parameters: AugmentationParameters?
            if let pipeline, var random {
                (images, parameters) = pipeline.augment(images, using: &random)
            }
            let labels = Tensor(rows.map { Int64(self.labels[Int($0)]) }).to(device)
            return MultiViewBatch(images: images, setIndex: setIndex, labels: labels, views: views,
                                  sampleIndices: samples, parameters: parameters)
        }
    }
}

/// The training batches of one epoch, as a sequence that prepares the next batch in the background when its
/// loader prefetches (the batches are identical either way).
public struct MultiViewBatches: Sequence, IteratorProtocol {
    private let loader: MultiViewLoader
    private let epoch: Int
    private let order: [Int]
    private var nextIndex = 0
    private var pending: PrefetchedBatch?

    init(loader: MultiViewLoader, epoch: Int, order: [Int]) {
        self.loader = loader
        self.epoch = epoch
        self.order = order
    }

    /// The next batch, or nil after the epoch's last one.
    public mutating func next() -> MultiViewBatch? {
        guard nextIndex < loader.batchesPerEpoch else { return nil }
        let index = nextIndex
        let batch = pending?.wait() ?? loader.batch(epoch: epoch, index: index, order: order)
        nextIndex += 1
        pending = nil
        if loader.prefetch, nextIndex < loader.batchesPerEpoch {
            let (loader, epoch, order, upcoming) = (loader, epoch, order, nextIndex)
            pending = PrefetchedBatch { loader.batch(epoch: epoch, index: upcoming, order: order) }
        }
        return batch
    }
}
