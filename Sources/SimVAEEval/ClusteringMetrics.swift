import Foundation

/// Clustering scores of predicted cluster ids against true labels, as the paper reports them (§6).
public struct ClusteringScores: Equatable, Sendable {
    /// Accuracy after the optimal one-to-one matching of clusters to classes.
    public let accuracy: Double
    /// Normalised mutual information with arithmetic-mean normalisation.
    public let normalizedMutualInformation: Double
    /// Rand index adjusted for chance.
    public let adjustedRandIndex: Double

    /// Scores `predictions` (cluster ids) against `labels` (true classes).
    ///
    /// - Throws: `EvaluationError.lengthMismatch` when the two arrays have different lengths.
    public init(labels: [Int], predictions: [Int]) throws {
        let table = try ContingencyTable(labels: labels, predictions: predictions)
        accuracy = table.clusterAccuracy
        normalizedMutualInformation = table.normalizedMutualInformation
        adjustedRandIndex = table.adjustedRandIndex
    }
}

extension ContingencyTable {
    /// The best one-to-one matching of predicted clusters to true classes (the one with most samples in agreement),
    /// as a dictionary from cluster id to class label; surplus clusters are left out.
    public var clusterToClass: [Int: Int] {
        Dictionary(uniqueKeysWithValues: bestMatching.pairs.map { (clusters[$0.row], classes[$0.column]) })
    }

    /// The fraction of samples whose cluster is matched to their class by the best one-to-one matching
    /// (the Hungarian algorithm); samples in surplus clusters count as errors. An empty table scores 1,
    /// the convention scikit-learn uses for NMI and ARI.
    public var clusterAccuracy: Double {
        guard sampleCount > 0 else { return 1 }
        return bestMatching.total / Double(sampleCount)
    }

    /// The Hungarian matching of clusters (rows) to classes (columns) maximising the matched sample count.
    private var bestMatching: Assignment {
        let profit = clusters.indices.map { column in counts.map { Double($0[column]) } }
        // The matrix is rectangular and finite by construction, so the solver cannot fail.
        return (try? Hungarian.maximumProfitAssignment(profit)) ?? Assignment(columnForRow: [], total: 0)
    }

    /// The mutual information between classes and clusters, in nats (scikit-learn's `mutual_info_score`).
    public var mutualInformation: Double {
        let total = Double(sampleCount)
        let classSizes = classSizes.map(Double.init)
        let clusterSizes = clusterSizes.map(Double.init)
        var information = 0.0
        for (row, values) in counts.enumerated() {
            for (column, count) in values.enumerated() where count > 0 {
                let joint = Double(count)
                information += joint / total * log(joint * total / (classSizes[row] * clusterSizes[column]))
            }
        }
        return max(information, 0)
    }

    /// Normalised mutual information, `MI / mean(H(classes), H(clusters))`, matching scikit-learn's default
    /// `normalized_mutual_info_score`: 1 when both labellings have a single group (or none), 0 when MI is 0.
    public var normalizedMutualInformation: Double {
        if classes.count == clusters.count, classes.count <= 1 { return 1 }
        let information = mutualInformation
        guard information > 0 else { return 0 }
        let normalizer = (Self.entropy(of: classSizes) + Self.entropy(of: clusterSizes)) / 2
        return information / normalizer
    }

    /// The adjusted Rand index, matching scikit-learn's `adjusted_rand_score` (1 when no pair of samples is split
    /// differently by the two labellings, including the empty case).
    public var adjustedRandIndex: Double {
        let total = sampleCount
        let classSizes = classSizes
        let clusterSizes = clusterSizes
        var sumOfSquares = 0
        var weightedByCluster = 0
        var weightedByClass = 0
        for (row, values) in counts.enumerated() {
            for (column, count) in values.enumerated() {
                sumOfSquares += count * count
                weightedByCluster += count * clusterSizes[column]
                weightedByClass += count * classSizes[row]
            }
        }
        // Ordered pair counts, as scikit-learn's `pair_confusion_matrix`.
        let bothTogether = Double(sumOfSquares - total)
        let onlyClusterTogether = Double(weightedByCluster - sumOfSquares)
        let onlyClassTogether = Double(weightedByClass - sumOfSquares)
        let bothApart = Double(total * total) - onlyClusterTogether - onlyClassTogether - Double(sumOfSquares)
        if onlyClusterTogether == 0, onlyClassTogether == 0 { return 1 }
        let numerator = 2 * (bothTogether * bothApart - onlyClassTogether * onlyClusterTogether)
        let denominator = (bothTogether + onlyClassTogether) * (onlyClassTogether + bothApart)
            + (bothTogether + onlyClusterTogether) * (onlyClusterTogether + bothApart)
        return numerator / denominator
    }

    /// Shannon entropy in nats of a partition given by its group sizes.
    private static func entropy(of sizes: [Int]) -> Double {
        let total = Double(sizes.reduce(0, +))
        guard total > 0 else { return 0 }
        return sizes.reduce(0.0) { sum, size in
            size > 0 ? sum - Double(size) / total * log(Double(size) / total) : sum
        }
    }
}
