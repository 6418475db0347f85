import Foundation
import SimVAEData
import Torch

/// Lloyd's k-means with greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's
/// 2 + ⌊ln k⌋ candidates per centre), on float64 tensors; it initialises `GaussianMixture`.
///
/// Several independent restarts run side by side: their centres sit in one [R·K, D] matrix, so one matrix
/// product per chunk of points serves all of them.
enum KMeans {
    /// Hard assignments [N, R] (int64) of `points` [N, D] to `count` clusters, one column per restart.
    ///
    /// Each restart seeds its centres with greedy k-means++, drawn from `random` in restart order, then takes
    /// Lloyd steps, at most `iterations`. As in scikit-learn, a restart stops when its assignment no longer
    /// changes, or when its centres moved by at most `tolerance` × the points' mean variance (total squared
    /// distance), keeping the assignment to the moved centres. Unfinished restarts share each pass over the data.
    static func assignments(of points: Tensor, count: Int, restarts: Int, iterations: Int, tolerance: Double,
                            random: inout SplitMix64) -> Tensor {
        let squaredNorms = points.squared().sum(dim: 1, keepDims: true)
        var centres = (0..<restarts).map { _ in
            seed(points, squaredNorms: squaredNorms, count: count, random: &random)
        }
        let threshold = tolerance * points.variance(dims: [0], correction: 0).mean().item
        let chunks = rowChunks(count: points.size(0), columns: restarts * count)
        let ones = Tensor(ones: [points.size(0)], dtype: .float64)
        var finished = [Tensor?](repeating: nil, count: restarts)
        var active = Array(0..<restarts)
        var labels = nearest(points, chunks: chunks, centres: centres)
        for iteration in 1...iterations {
            var shifts: [Double] = []
            for (position, restart) in active.enumerated() {
                let moved = means(of: points, labels: labels.selected(dim: 1, index: position),
                                  previous: centres[restart], ones: ones)
                shifts.append((moved - centres[restart]).squared().sum().item)
                centres[restart] = moved
            }
            let next = nearest(points, chunks: chunks, centres: active.map { centres[$0] })
            let changed = (next .!= labels).sum(dim: 0).scalars(as: Int64.self)
            var kept: [Int] = []
            for (position, restart) in active.enumerated() {
                if changed[position] == 0 || shifts[position] <= threshold || iteration == iterations {
                    finished[restart] = next.selected(dim: 1, index: position)
                } else {
                    kept.append(position)
                }
            }
            if kept.isEmpty { break }
            labels = next.indexSelect(dim: 1, Tensor(kept.map(Int64.init)))
            active = kept.map { active[$0] }
        }
        return Tensor.stack(finished.map { $0! }, dim: 1)
    }

    /// The mean of each cluster's points [K, D] under `labels` [N]; an emptied cluster keeps its `previous` centre.
    private static func means(of points: Tensor, labels: Tensor, previous: Tensor, ones: Tensor) -> Tensor {
        let index = labels.unsqueezed(dim: 1).expanded(to: points.shape)
        let sums = previous.zerosLike().scatterAdded(dim: 0, index, points)
        let sizes = Tensor(zeros: [previous.size(0)], dtype: .float64).scatterAdded(dim: 0, labels, ones)
            .unsqueezed(dim: 1)
        return Tensor.where(sizes .> 0, sums / sizes.clamped(min: 1), previous)
    }

    /// The index of each restart's nearest centre for every point [N, R], from the restarts' centres [K, D].
    private static func nearest(_ points: Tensor, chunks: [Range<Int>], centres: [Tensor]) -> Tensor {
        let restarts = centres.count, all = Tensor.cat(centres), count = all.size(0) / restarts
        let norms = all.squared().sum(dim: 1).unsqueezed(dim: 0)
        // ‖x − c‖² without the ‖x‖² term, which does not change the nearest centre.
        return Tensor.cat(chunks.map { rows in
            (norms - 2 * points[rows].matmul(all.T)).reshaped([rows.count, restarts, count]).argmin(dim: 2)
        })
    }

    /// Row ranges whose [rows, columns] float64 blocks stay around 4 MB, so each pass works in cache.
    static func rowChunks(count: Int, columns: Int) -> [Range<Int>] {
        let rowsPerChunk = Swift.max(256, (1 << 19) / Swift.max(1, columns))
        return stride(from: 0, to: count, by: rowsPerChunk).map { $0..<Swift.min($0 + rowsPerChunk, count) }
    }

    /// ‖x − c‖² for every point and centre [N, C], clamped at 0 against rounding.
    private static func squaredDistances(_ points: Tensor, squaredNorms: Tensor, _ centres: Tensor) -> Tensor {
        (squaredNorms - 2 * points.matmul(centres.T) + centres.squared().sum(dim: 1).unsqueezed(dim: 0))
            .clamped(min: 0)
    }

    /// Greedy k-means++: each new centre is the best (lowest total squared distance) of a few candidates drawn
    /// with probability proportional to the squared distance to the nearest centre so far.
    private static func seed(_ points: Tensor, squaredNorms: Tensor, count: Int,
                             random: inout SplitMix64) -> Tensor {
        let n = points.size(0)
        let trials = 2 + Int(Foundation.log(Double(count)))
        var chosen = [Swift.min(n - 1, Int(random.uniform(0...1) * Double(n)))]
        var closest = squaredDistances(points, squaredNorms: squaredNorms, points[chosen[0]].unsqueezed(dim: 0))
            .reshaped([-1])
        while chosen.count < count {
            let cumulative = closest.cumulativeSum(dim: 0).scalars(as: Double.self)
            let total = cumulative.last ?? 0
            let candidates: [Int] = (0..<trials).map { _ in
                // With every point on a chosen centre (duplicates), fall back to a uniform draw.
                guard total > 0 else { return Swift.min(n - 1, Int(random.uniform(0...1) * Double(n))) }
                let target = random.uniform(0...1) * total
                return Swift.min(n - 1, lowerBound(of: target, in: cumulative))
            }
            let distances = squaredDistances(points, squaredNorms: squaredNorms,
                                             points.indexSelect(dim: 0, Tensor(candidates.map(Int64.init))))
            let updated = distances.minimum(closest.unsqueezed(dim: 1))
            let best = Int(updated.sum(dim: 0).argmin().item)
            chosen.append(candidates[best])
            closest = updated.selected(dim: 1, index: best)
        }
        return points.indexSelect(dim: 0, Tensor(chosen.map(Int64.init)))
    }

    /// The first index whose cumulative value exceeds `target` (binary search).
    private static func lowerBound(of target: Double, in cumulative: [Double]) -> Int {
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
