import CTorch
import Foundation

/// A failed join or collective of a `ProcessGroup`: the sentence names this process's rank and what went wrong.
public struct DistributedError: Error, CustomStringConvertible, Sendable {
    /// What failed, starting with this process's rank.
    public let description: String

    /// An error with the given sentence.
    public init(_ description: String) { self.description = description }
}

/// One process of a group that trains together: libtorch's c10d Gloo process group over CPU tensors, joined
/// through a `TCPStore` served by rank 0 (as `torch.distributed.init_process_group("gloo", "env://")` does).
///
/// Every collective waits at most `timeout` seconds, so a rank that died or hangs stops the others with an error
/// instead of a hang. Collectives must be called by every rank in the same order.
///
/// `@unchecked Sendable`: the handle is only used through calls c10d makes thread-safe.
public final class ProcessGroup: @unchecked Sendable {
    /// This process's rank, 0 ..< `worldSize`.
    public let rank: Int
    /// The number of processes in the group.
    public let worldSize: Int
    /// The most seconds a rendezvous, store wait or collective may take.
    public let timeout: Double
    private let handle: ct_group

    /// Whether this build can join a group at all (its shim was built with Gloo's headers).
    public static var isAvailable: Bool { ct_gloo_available() }

    /// The group the process trains in, or nil when it trains alone. Set once at start-up, before any training,
    /// by the command that joined it; read by the layers and losses that need the whole batch.
    nonisolated(unsafe) public static var current: ProcessGroup?

    /// Joins the group described by `rendezvous`, waiting at most `timeout` seconds for the other ranks; first
    /// checks through the store that every rank was started with the same `WORLD_SIZE`.
    /// - Throws: `DistributedError` when this build has no Gloo, the port cannot be served or reached, the ranks
    ///   disagree on the group's size, or they do not all join in time.
    public init(_ rendezvous: Rendezvous, timeout: Double) throws {
        guard ProcessGroup.isAvailable else {
            throw DistributedError("this build cannot train across processes: its libtorch has no Gloo process "
                + "group (build against Debian's libtorch-dev with libgloo-dev installed)")
        }
        let (rank, size) = (rendezvous.rank, rendezvous.worldSize)
        let place = "\(rendezvous.host):\(rendezvous.port)"
        let milliseconds = Int64((timeout * 1000).rounded())
        guard let joined = ct_group_join(rendezvous.host, Int32(rendezvous.port), Int32(rank), Int32(size),
                                         milliseconds)
        else {
            let what = rank == 0 ? "could not serve the group's store on \(place)"
                : "could not reach rank 0's store on \(place) within \(Int(timeout)) s"
            throw DistributedError("rank \(rank) of \(size) \(what): " + ProcessGroup.lastError())
        }
        handle = joined
        self.rank = rank
        worldSize = size
        self.timeout = timeout
        try publish("\(size)", forKey: "world_size/\(rank)")
        let others = rank == 0 ? Array(1 ..< size) : [0]
        for other in others {
            let theirs: String
            do {
                theirs = try value(forKey: "world_size/\(other)")
            } catch {
                throw DistributedError("rank \(rank) of \(size): rank \(other) did not join \(place) within "
                    + "\(Int(timeout)) s (is it started, with the same MASTER_ADDR and MASTER_PORT?)")
            }
            guard theirs == "\(size)" else {
                throw DistributedError("rank \(rank) has WORLD_SIZE=\(size) but rank \(other) has WORLD_SIZE="
                    + "\(theirs): start every rank with the same WORLD_SIZE")
            }
        }
        guard ct_group_connect(handle, rendezvous.bindHost, rendezvous.interface) == 0 else {
            throw DistributedError("rank \(rank) of \(size) could not connect to the other ranks through Gloo: "
                + ProcessGroup.lastError())
        }
    }

    deinit { ct_group_free(handle) }

    /// Stores `value` under `key` in the group's store, for every rank to read.
    public func publish(_ value: String, forKey key: String) throws {
        let bytes = Array(value.utf8)
        try check("publishing \(key)", ct_group_store_set(handle, key, bytes, Int64(bytes.count)) == 0)
    }

    /// The value stored under `key`, waiting up to `timeout` for a rank to publish it.
    public func value(forKey key: String) throws -> String {
        var count: Int64 = 0
        guard let bytes = ct_group_store_get(handle, key, &count) else {
            try check("waiting for \(key)", false)
            return ""
        }
        defer { ct_free(bytes) }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: Int(count)), as: UTF8.self)
    }

    /// Replaces every tensor (contiguous, on the CPU) by its element-wise sum over the ranks, in one operation.
    public func sumInPlace(_ tensors: [Tensor]) throws {
        guard !tensors.isEmpty else { return }
        let handles: [ct_tensor?] = tensors.map(\.handle)
        try check("summing \(tensors.count) tensor(s)",
                  ct_group_all_reduce_sum(handle, handles, Int32(handles.count)) == 0)
    }

    /// Overwrites every tensor with rank `root`'s values.
    public func broadcast(_ tensors: [Tensor], from root: Int = 0) throws {
        guard !tensors.isEmpty else { return }
        let handles: [ct_tensor?] = tensors.map(\.handle)
        try check("broadcasting from rank \(root)",
                  ct_group_broadcast(handle, handles, Int32(handles.count), Int32(root)) == 0)
    }

    /// Returns once every rank has reached it.
    public func barrier() throws {
        try check("waiting at a barrier", ct_group_barrier(handle) == 0)
    }

    /// The element-wise sum of `tensor` over the ranks, differentiable: its gradient is the sum of the ranks'
    /// gradients, so a loss every rank computes alike from summed terms gets each rank's share right.
    /// A failure fails the enclosing `Tensor.checking` scope.
    public func summed(_ tensor: Tensor) -> Tensor {
        let input = tensor.contiguous()
        return Tensor(handle: FailureScope.handle("rank \(rank) of \(worldSize): summing across the group") {
            withExtendedLifetime(input) { ct_group_summed(handle, input.handle) }
        })
    }

    /// The ranks' `tensor`s stacked along dimension 0 in rank order (all of the same shape), differentiable like
    /// `torch.distributed.nn.all_gather`: the backward pass hands each rank the sum over the ranks of the gradient
    /// of its own rows. Losses computed alike on every rank from gathered rows therefore get, after gradients are
    /// averaged over the ranks, exactly the gradient of one process holding the whole batch. Built as the
    /// differentiable sum of zero-padded copies, it moves `worldSize` times the bytes of an all-gather: meant for
    /// embeddings and keys, not for images.
    public func gathered(_ tensor: Tensor) -> Tensor {
        let rows = tensor.size(0)
        var padding = tensor.shape
        padding[0] = rows * (worldSize - 1 - rank)
        var leading = tensor.shape
        leading[0] = rows * rank
        let placed = Tensor.cat([Tensor(zeros: leading, dtype: tensor.dtype, device: tensor.device), tensor,
                                 Tensor(zeros: padding, dtype: tensor.dtype, device: tensor.device)])
        return summed(placed)
    }

    private func check(_ action: String, _ succeeded: Bool) throws {
        guard !succeeded else { return }
        throw DistributedError("rank \(rank) of \(worldSize): \(action) failed (another rank stopped, hung for "
            + "over \(Int(timeout)) s or cannot be reached): \(ProcessGroup.lastError())")
    }

    /// The first line of libtorch's last message (c10d's can run on with a C++ trace).
    private static func lastError() -> String {
        let message = ct_last_error().map { String(cString: $0) } ?? "unknown failure"
        return message.split(separator: "\n").first.map { String($0) } ?? message
    }
}
