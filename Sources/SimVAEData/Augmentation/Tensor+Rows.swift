import Torch

/// `index_copy`, resolved once.
private let indexCopy = Operator("index_copy")

/// Row (first-dimension) selection helpers that let an augmentation work only on the views it changes.
extension Tensor {
    /// The rows at `indices`, in that order.
    func rows(_ indices: [Int]) -> Tensor {
        indexSelect(dim: 0, Tensor(indices.map(Int64.init)).to(device))
    }

    /// A copy of this tensor whose rows at `indices` (ascending, distinct) are `replacement`'s rows, in order.
    func replacingRows(_ indices: [Int], with replacement: Tensor) -> Tensor {
        if indices.count == size(0) { return replacement }
        let index = Tensor(indices.map(Int64.init)).to(device)
        return indexCopy(.tensor(self), .int(0), .tensor(index), .tensor(replacement))
    }

    /// A copy of this tensor whose rows at `indices` (ascending, distinct) are replaced by `transform` of them.
    func updatingRows(_ indices: [Int], _ transform: (Tensor) -> Tensor) -> Tensor {
        replacingRows(indices, with: transform(rows(indices)))
    }

    /// A [n, 1, 1, 1] float32 tensor of per-view factors, to broadcast over images.
    static func perView(_ values: [Double], device: Device) -> Tensor {
        Tensor(values.map(Float.init), shape: [values.count, 1, 1, 1]).to(device)
    }
}
