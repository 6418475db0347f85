import Foundation
import SimVAEData
import Torch

/// Lloyd's k-means with greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with scikit-learn's
/// 2 + ⌊ln k⌋ candidates per centre), on float64 tensors; it initialises `GaussianMixture`.
enum KMeans {
    /// Centres [K, D] and the hard assignment [N] (int64) of `points` [N, D] after at most `iterations` Lloyd
    /// steps (fewer when the assignment stops changing).
    static func centres(of points: Tensor, count: Int, iterations: Int,
                        random: inout SplitMix64) -> (centres: Tensor, assignments: Tensor) {
        let squaredNorms = points.squared().sum(dim: 1, keepDims: true)
        var centres = seed(points, squaredNorms: squaredNorms, count: count, random: &random)
        var assignments = nearest(points, squaredNorms: squaredNorms, centres: centres).indices
        for _ in 0..<iterations {
            let oneHot = assignments.oneHot(classes: count).to(.float64)
            let sizes = oneHot.sum(dim: 0).unsqueezed(dim: 1)
            // An emptied cluster keeps its previous centre.
            centres = Tensor.where(sizes .> 0, oneHot.T.matmul(points) / sizes.clamped(min: 1), centres)
            let next = nearest(points, squaredNorms: squaredNorms, centres: centres).indices
            let unchanged = (next .== assignments).all()
            assignments = next
            if unchanged { break }
        }
        return (centres, assignments)
    }

    /// Squared distances to the nearest of `centres` [C, D] and its index, for every point.
    private static func nearest(_ points: Tensor, squaredNorms: Tensor,
                                centres: Tensor) -> (values: Tensor, indices: Tensor) {
        squaredDistances(points, squaredNorms: squaredNorms, centres).min(dim: 1)
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
