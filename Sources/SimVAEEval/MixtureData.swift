import Torch

/// The points of a mixture fit, centred and cut into chunks of features, so that one matrix product with a
/// mixture's coefficients gives every log-density of a chunk, and one product with the responsibilities
/// gives every moment the M-step needs.
///
/// A point's features are its second-order terms (xᵢxⱼ for i ≤ j with full covariances, xᵢ² with diagonal ones),
/// the point itself and a constant 1: log πₖ + log N(x | μₖ, Σₖ) is linear in them.
struct MixtureData {
    /// One block of rows and its features [rows, F], kept or built on each use.
    struct Chunk {
        let rows: Range<Int>
        /// The block's centred points [rows, D].
        private let points: Tensor
        /// The (i, j) index pairs of full-covariance features, or nil for diagonal ones.
        private let pairs: (first: Tensor, second: Tensor)?
        private let kept: Tensor?

        fileprivate init(rows: Range<Int>, points: Tensor, pairs: (first: Tensor, second: Tensor)?, keep: Bool) {
            self.rows = rows
            self.points = points
            self.pairs = pairs
            kept = keep ? Self.features(of: points, pairs: pairs) : nil
        }

        /// Whether the features are kept rather than built at each use.
        var isKept: Bool { kept != nil }

        /// The chunk's features [rows, F]: the kept ones, or built now in O(rows · F).
        func makeFeatures() -> Tensor { kept ?? Self.features(of: points, pairs: pairs) }

        private static func features(of points: Tensor, pairs: (first: Tensor, second: Tensor)?) -> Tensor {
            let secondOrder = pairs.map { points.indexSelect(dim: 1, $0.first) * points.indexSelect(dim: 1, $0.second) }
                ?? points.squared()
            let constant = Tensor(ones: [points.size(0), 1], dtype: .float64)
            return Tensor.cat([secondOrder, points, constant], dim: 1)
        }
    }

    /// The most bytes of features a fit keeps. Beyond it they are built again in each pass, which costs time
    /// (a 20 000 × 64 fit took 1.3 s instead of 1.0 s) but bounds memory: at 64 dimensions a point has 2 145
    /// features, so 60 000 points would need 1 GB, and CelebA's 162 770 about 2.8 GB.
    static let keptFeatureBytes = 256 << 20

    let centred: Tensor
    let offset: Tensor
    let isFull: Bool
    let count: Int, dimension: Int
    /// For the upper-triangle pairs (i ≤ j): index i·D + j into a flattened D × D matrix.
    let pairIndex: Tensor
    /// For each entry of a flattened D × D matrix: the pair holding it (the symmetric entries share one).
    let entryPair: Tensor
    /// 1 for diagonal pairs, 2 off the diagonal: xᵀAx = Σ_pairs multiplicity · A_ij x_i x_j.
    let pairMultiplicity: Tensor
    let chunks: [Chunk]

    /// The number of second-order features: D(D + 1)/2 pairs, or D squares for diagonal mixtures.
    var secondOrderWidth: Int { isFull ? pairIndex.size(0) : dimension }
    /// The number of features of a point: second-order terms, the point, and 1.
    var featureWidth: Int { secondOrderWidth + dimension + 1 }

    /// - Parameters:
    ///   - points: [N, D] points.
    ///   - full: whether features for full covariances (all pairs) or diagonal ones (squares) are needed.
    ///   - columns: the widest log-density block a chunk will produce (restarts × components); it sizes chunks.
    ///   - centred: whether `points` were already centred (by a fit's offset).
    ///   - keptBytes: the most bytes of features to keep; larger ones are built at each use.
    init(_ points: Tensor, full: Bool, columns: Int, centred isCentred: Bool = false,
         keptBytes: Int = MixtureData.keptFeatureBytes) {
        let values = points.double
        offset = isCentred ? Tensor(zeros: [1, values.size(1)], dtype: .float64) : values.mean(dim: 0, keepDims: true)
        centred = isCentred ? values : values - offset
        isFull = full
        count = values.size(0)
        dimension = values.size(1)
        var first: [Int64] = [], second: [Int64] = [], entries: [Int64] = []
        var pairOfEntry = [Int64](repeating: 0, count: dimension * dimension)
        for i in 0..<dimension {
            for j in i..<dimension {
                pairOfEntry[i * dimension + j] = Int64(first.count)
                pairOfEntry[j * dimension + i] = Int64(first.count)
                first.append(Int64(i))
                second.append(Int64(j))
                entries.append(Int64(i * dimension + j))
            }
        }
        let firstIndex = Tensor(first), secondIndex = Tensor(second)
        pairIndex = Tensor(entries)
        entryPair = Tensor(pairOfEntry)
        pairMultiplicity = Tensor.where(firstIndex .== secondIndex, Tensor(ones: [first.count], dtype: .float64),
                                        Tensor(full: [first.count], value: 2, dtype: .float64))
        let centredPoints = centred
        let width = (full ? first.count : dimension) + dimension + 1
        let keep = count * width * MemoryLayout<Double>.size <= keptBytes
        chunks = KMeans.rowChunks(count: count, columns: Swift.max(width, columns)).map { rows in
            Chunk(rows: rows, points: centredPoints[rows], pairs: full ? (firstIndex, secondIndex) : nil, keep: keep)
        }
    }

    /// Σ over points of responsibilitiesᵀ · features [C, F]: for each of C components, the responsibility-weighted
    /// sums of the second-order terms, of x, and of 1.
    ///
    /// - Parameter responsibilities: the responsibilities [rows, C] of a chunk's points, given the chunk and its
    ///   features (built once per chunk and pass).
    func moments(_ responsibilities: (Chunk, Tensor) throws -> Tensor) rethrows -> Tensor {
        var total: Tensor?
        for chunk in chunks {
            let features = chunk.makeFeatures()
            let moments = try responsibilities(chunk, features).T.matmul(features)
            total = total.map { $0 + moments } ?? moments
        }
        guard let total else { preconditionFailure("a fit has at least one point") }
        return total
    }
}
