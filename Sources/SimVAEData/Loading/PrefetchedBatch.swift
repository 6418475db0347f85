import Dispatch

/// A batch being prepared on a background thread while the caller trains on the previous one.
///
/// `@unchecked Sendable` is safe here because ownership of the batch moves between threads exactly once: the
/// background job creates the batch's tensors, stores them and signals `ready`; the consumer reads `batch` only
/// after waiting on `ready` (the semaphore orders the write before the read), and the job keeps no reference to
/// the tensors afterwards, so no libtorch tensor is ever used by two threads at once.
final class PrefetchedBatch: @unchecked Sendable {
    private var batch: MultiViewBatch?
    private let ready = DispatchSemaphore(value: 0)

    /// Starts `make` on a background queue.
    init(_ make: @escaping @Sendable () -> MultiViewBatch) {
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            batch = make()
            ready.signal()
        }
    }

    /// Waits for the batch and takes it.
    func wait() -> MultiViewBatch? {
        ready.wait()
        defer { batch = nil }
        return batch
    }
}
