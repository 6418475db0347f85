import Torch

/// MoCo's contrastive loss (He et al. 2020): each query is classified against its positive key and the
/// queued negatives by dot product / τ (all vectors unit length), with cross-entropy averaged over queries.
public enum MoCoLoss {
    /// The loss for queries and positive keys [B, D] and negatives [K, D], all already normalised.
    public static func loss(queries: Tensor, keys: Tensor, negatives: Tensor, temperature: Double) -> Tensor {
        let positive = (queries * keys).sum(dim: 1, keepDims: true)
        let logits = Tensor.cat([positive, queries.matmul(negatives.T)], dim: 1) / temperature
        let targets = Tensor(zeros: [queries.size(0)], dtype: .int64, device: queries.device)
        return Functional.crossEntropy(logits, targets: targets)
    }
}

/// MoCo v2 (He et al. 2020; Chen et al. 2020): a query network (encoder and projection head, trained) and a
/// key network of the same architecture that follows it as an exponential moving average, with a FIFO queue
/// of past keys as negatives. View 0 of each set is the query, view 1 the key (asymmetric, as in MoCo v2).
///
/// The key network, the queue and its write position are buffers (tensors without gradients), so the
/// checkpoint holds them under `key_encoder.…`, `key_head.…`, `queue` and `queue_pointer` and a resumed run
/// continues exactly. Each `loss(images:views:)` first moves the key network towards the query network,
/// key ← m·key + (1 − m)·query; PyTorch's MoCo does the same update at the start of its forward pass, after
/// the previous optimizer step, so the order is the same. Batch-norm statistics of the key network are its
/// own (not averaged); there is no shuffled batch norm (one process). Term: `nce`.
public final class MoCo: SiameseObjective, Objective {
    /// The key network's copy of the encoder, updated by momentum only.
    public let keyEncoder: any Layer
    /// The key network's copy of the head.
    public let keyHead: ProjectionHead
    /// Past keys [queueSize, width], unit length, oldest overwritten first.
    public let queue: Tensor
    /// The row of `queue` written next (an int64 scalar).
    public let queuePointer: Tensor
    /// m of the momentum update.
    public var momentum: Double { keyNetwork.momentum }
    /// τ of the loss.
    public let temperature: Double
    /// Moves the key network (`keyEncoder`, `keyHead`) towards the query network (`encoder`, `head`).
    private let keyNetwork: MomentumNetwork

    /// MoCo whose networks `makeEncoder` builds (called twice: query and key) with a head of `headWidths`
    /// on top of the encoder's `representationWidth` outputs; the key network starts as a copy of the query
    /// network and the queue as random unit vectors.
    public init(makeEncoder: () -> any Layer, representationWidth: Int, headWidths: [Int], queueSize: Int = 4096,
                momentum: Double = 0.99, temperature: Double = 0.2) {
        precondition(queueSize > 0, "MoCo needs a queue of at least one key")
        let head = ProjectionHead(inputs: representationWidth, widths: headWidths)
        keyEncoder = makeEncoder()
        keyHead = ProjectionHead(inputs: representationWidth, widths: headWidths)
        queue = Functional.normalize(Tensor.randn([queueSize, head.outputWidth]), dim: 1)
        queuePointer = Tensor(zeros: [], dtype: .int64)
        self.temperature = temperature
        let encoder = makeEncoder()
        keyNetwork = MomentumNetwork(online: [encoder, head], target: [keyEncoder, keyHead], momentum: momentum)
        super.init(encoder: encoder, head: head)
    }

    /// key ← m·key + (1 − m)·query for every trained tensor of the query network (batch-norm statistics
    /// excepted: they are buffers of each network).
    public func updateKeyNetwork() { keyNetwork.update() }

    /// Writes `keys` [B, width] into the queue from the pointer on, wrapping around, and advances the pointer.
    public func enqueue(_ keys: Tensor) {
        let capacity = queue.size(0)
        withNoGrad {
            // Only the newest `capacity` keys fit; older ones of a batch larger than the queue are skipped.
            let skipped = Swift.max(0, keys.size(0) - capacity)
            var pointer = (Int(queuePointer.item) + skipped) % capacity
            var written = skipped
            while written < keys.size(0) {
                let length = Swift.min(keys.size(0) - written, capacity - pointer)
                queue.narrowed(dim: 0, start: pointer, length: length)
                    .copy_(keys.narrowed(dim: 0, start: written, length: length))
                written += length
                pointer = (pointer + length) % capacity
            }
            queuePointer.copy_(Tensor(scalar: Int64(pointer)))
        }
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        updateKeyNetwork()
        let (queryImages, keyImages) = Self.split(Self.firstTwoViews(images, views: views))
        // Network outputs in float32 whatever the forward precision: the loss is reduced in float32.
        let queries = Functional.normalize(head(encoder(queryImages)).float, dim: 1)
        let keys = withNoGrad { Functional.normalize(keyHead(keyEncoder(keyImages)).float, dim: 1) }
        // A copy: the loss's backward pass needs the negatives as they were, and `enqueue` overwrites the queue.
        let loss = MoCoLoss.loss(queries: queries, keys: keys, negatives: queue.clone(), temperature: temperature)
        // Every rank enqueues the whole group's keys, in rank order, so the queues stay identical.
        enqueue(withNoGrad { keys.gatheredAcrossRanks() })
        return ObjectiveOutput(loss: loss, terms: ["nce": loss.detached()])
    }
}
