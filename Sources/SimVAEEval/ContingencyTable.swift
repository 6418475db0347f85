/// Counts of samples per (true class, predicted cluster) pair: the common ground of all clustering metrics.
///
/// Labels and cluster ids are arbitrary integers; they need not be contiguous nor start at zero.
public struct ContingencyTable: Equatable, Sendable {
    /// The distinct true labels, ascending; row `i` of `counts` belongs to `classes[i]`.
    public let classes: [Int]
    /// The distinct predicted cluster ids, ascending; column `j` of `counts` belongs to `clusters[j]`.
    public let clusters: [Int]
    /// `counts[i][j]` is the number of samples of class `classes[i]` put in cluster `clusters[j]`.
    public let counts: [[Int]]
    /// The number of samples counted.
    public let sampleCount: Int

    /// Counts how the predicted clusters split the true classes.
    ///
    /// - Throws: `EvaluationError.lengthMismatch` when the two arrays have different lengths.
    public init(labels: [Int], predictions: [Int]) throws {
        guard labels.count == predictions.count else {
            throw EvaluationError.lengthMismatch(labels: labels.count, predictions: predictions.count)
        }
        classes = Array(Set(labels)).sorted()
        clusters = Array(Set(predictions)).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let clusterIndex = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        var counts = Array(repeating: Array(repeating: 0, count: clusters.count), count: classes.count)
        for (label, prediction) in zip(labels, predictions) {
            if let row = classIndex[label], let column = clusterIndex[prediction] {
                counts[row][column] += 1
            }
        }
        self.counts = counts
        sampleCount = labels.count
    }

    /// Samples per true class (the row sums), in the order of `classes`.
    public var classSizes: [Int] { counts.map { $0.reduce(0, +) } }

    /// Samples per predicted cluster (the column sums), in the order of `clusters`.
    public var clusterSizes: [Int] {
        clusters.indices.map { column in counts.reduce(0) { $0 + $1[column] } }
    }
}
