import Foundation
import Torch

/// What a rank of a data-parallel group does around each step so that the group trains as one process with the
/// whole batch would: it starts from rank 0's weights, averages the gradients over the ranks in buckets before
/// every update, and averages the logged terms.
///
/// The ranks' losses are means over their own equal shares of the batch (or, for losses over the whole batch,
/// the same value on every rank, computed from `ProcessGroup.gathered` rows), so the average of their gradients
/// is the gradient of the one-process loss.
public final class DataParallel {
    /// The group this process trains in.
    public let group: ProcessGroup
    /// The most bytes of gradient summed in one operation.
    public let bucketBytes: Int
    /// Seconds spent in the group's collectives since the last `takeCommunicationSeconds()`.
    public private(set) var communicationSeconds = 0.0
    private let parameters: [Tensor]

    /// A rank of `group` training `parameters`, summing gradients `bucketBytes` at a time (25 MiB by default, as
    /// PyTorch's DistributedDataParallel).
    public init(group: ProcessGroup, parameters: [Tensor], bucketBytes: Int = 25 << 20) {
        self.group = group
        self.parameters = parameters
        self.bucketBytes = bucketBytes
    }

    /// Whether this rank writes the run's files (rank 0).
    public var writesRun: Bool { group.rank == 0 }

    /// Makes every rank's parameters and buffers (batch-norm statistics, queues, momentum networks) rank 0's.
    public func synchronize(_ model: Module) throws {
        try timed { try group.broadcast(model.namedTensors().map(\.1).map { $0.detached() }, from: 0) }
    }

    /// Replaces every gradient by its average over the ranks, summing the gradients in buckets of at most
    /// `bucketBytes` (each bucket one flat tensor).
    public func averageGradients() throws {
        let gradients = parameters.compactMap(\.grad)
        var start = 0
        while start < gradients.count {
            var end = start + 1
            var bytes = gradients[start].count * 4
            while end < gradients.count, bytes + gradients[end].count * 4 <= bucketBytes {
                bytes += gradients[end].count * 4
                end += 1
            }
            try average(Array(gradients[start ..< end]))
            start = end
        }
    }

    /// `values` averaged over the ranks (a new tensor).
    public func averaged(_ values: Tensor) throws -> Tensor {
        let copy = values.contiguous().clone()
        try timed { try group.sumInPlace([copy]) }
        return copy / Double(group.worldSize)
    }

    /// Whether `flag` holds on any rank (every rank gets the same answer).
    public func anyRank(_ flag: Bool) throws -> Bool {
        let vote = Tensor([Float(flag ? 1 : 0)])
        try timed { try group.sumInPlace([vote]) }
        return vote.item > 0
    }

    /// The communication seconds counted so far, restarting the count.
    public func takeCommunicationSeconds() -> Double {
        defer { communicationSeconds = 0 }
        return communicationSeconds
    }

    private func average(_ bucket: [Tensor]) throws {
        let flat = Tensor.cat(bucket.map { $0.reshaped([-1]) })
        try timed { try group.sumInPlace([flat]) }
        flat.mul_(1 / Double(group.worldSize))
        var offset = 0
        for gradient in bucket {
            gradient.copy_(flat.narrowed(dim: 0, start: offset, length: gradient.count).reshaped(gradient.shape))
            offset += gradient.count
        }
    }

    private func timed<R>(_ body: () throws -> R) rethrows -> R {
        let watch = Stopwatch()
        defer { communicationSeconds += watch.elapsed }
        return try body()
    }
}
