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
/// With a `shard`, the loader is one rank's part of a data-parallel group: `setsPerBatch` is still the whole
/// group's batch, drawn from the same seeded order, and the rank serves its contiguous share of the sets, augmented
/// with the very parameters one process would draw for them, so the ranks' batches together are the one-process
/// batch.
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
    /// This rank's share of every training batch, or nil for the whole batch.
    public let shard: Shard?

    /// One rank's share of each batch: sets `index·B/count ..< (index + 1)·B/count` of a batch of B sets.
    public struct Shard: Sendable, Equatable {
        /// This rank, 0 ..< `count`.
        public let index: Int
        /// The number of ranks.
        public let count: Int

        /// Rank `index` of `count`.
        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }

        /// The sets of a batch of `sets` this rank serves.
        public func sets(of sets: Int) -> Range<Int> {
            let share = sets / count
            return index * share ..< (index + 1) * share
        }
    }

    private let pixels: Tensor
    private let labels: [Int]

    /// Creates a loader over `images` (its first `limit` images when given).
    /// - Parameter prefetch: prepare batch k + 1 while the caller trains on batch k. Off by default: on a 2-core CPU
    ///   with a 784-1024-1024-64 MLP step (13 × 10 Fashion-MNIST views per batch) it did not pay off (≈ 4.7k
    ///   against 4.9k images/s with one libtorch thread), as making a batch costs under a tenth of the step.
    /// - Parameter shard: serve only this rank's share of each batch.
    /// - Throws: `DataError` when `setsPerBatch` or `views` is below 1, the image set is empty, `dropLast` leaves no
    ///   batch at all, a shard's ranks cannot share the batch's sets evenly (or the last partial batch is kept), or
    ///   the pipeline's settings are unusable.
    public init(images: ImageSet, setsPerBatch: Int, views: Int, pipeline: AugmentationPipeline?, seed: UInt64,
                dropLast: Bool = true, prefetch: Bool = false, limit: Int? = nil, device: Device = .cpu,
                shard: Shard? = nil) throws {
        guard setsPerBatch >= 1 else { throw DataError("a batch needs at least 1 sample, got \(setsPerBatch)") }
        if let shard {
            guard setsPerBatch % shard.count == 0, dropLast else {
                throw DataError("a batch of \(setsPerBatch) sets does not split evenly over \(shard.count) ranks: "
                    + "choose a batch size whose sets (batch size / views) are a multiple of the number of ranks")
            }
        }
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
        self.shard = shard
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
        var random = SplitMix64(seed: seed, stream: [1, UInt64(truncatingIfNeeded: epoch), UInt64(index)])
        guard let shard else { return makeBatch(samples: samples, views: views, augmentingWith: random) }
        let sets = shard.sets(of: samples.count)
        let parameters = pipeline?.sampleParameters(count: samples.count * views, height: pixels.size(2),
                                                    width: pixels.size(3), using: &random)
        return makeBatch(samples: Array(samples[sets]), views: views, augmentingWith: nil,
                         parameters: parameters?.views(sets.lowerBound * views ..< sets.upperBound * views))
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
    /// `parameters`, else with parameters drawn from `random` (not augmented when neither is given or there is no
    /// pipeline).
    private func makeBatch(samples: [Int], views: Int, augmentingWith random: SplitMix64?,
                           parameters given: AugmentationParameters? = nil) -> MultiViewBatch {
        withNoGrad {
            let rows = samples.flatMap { repeatElement(Int64($0), count: views) }
            let setIndex = Tensor(rows).to(device)
            var images = pixels.indexSelect(dim: 0, setIndex).to(.float32) / 255
            var parameters: AugmentationParameters?
            if let pipeline, let given {
                (images, parameters) = (pipeline.apply(images, parameters: given), given)
            } else if let pipeline, var random {
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
