import SimVAEData
import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct HungarianTests {
    @Test(.drawsFromTheRandomGenerator) func handCheckedThreeByThreeCost() throws {
        // Of the 6 permutations, rows → columns (1, 0, 2) costs 1 + 2 + 2 = 5; the next best costs 6.
        let cost: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        let assignment = try Hungarian.minimumCostAssignment(cost)
        #expect(assignment.columnForRow == [1, 0, 2])
        #expect(assignment.total == 5)
    }

    @Test(.drawsFromTheRandomGenerator) func profitIsMaximised() throws {
        let profit: [[Double]] = [[4, 1, 3], [2, 0, 5], [3, 2, 2]]
        let assignment = try Hungarian.maximumProfitAssignment(profit)
        // Rows → columns (0, 2, 1) earn 4 + 5 + 2 = 11; the runner-up (1, 2, 0) earns 1 + 5 + 3 = 9.
        #expect(assignment.columnForRow == [0, 2, 1])
        #expect(assignment.total == 11)
    }

    @Test(.drawsFromTheRandomGenerator) func wideAndTallMatricesLeaveTheSurplusUnmatched() throws {
        let wide = try Hungarian.minimumCostAssignment([[5, 1, 9], [1, 5, 9]])
        #expect(wide.columnForRow == [1, 0])
        #expect(wide.total == 2)
        let tall = try Hungarian.minimumCostAssignment([[5, 1], [9, 9], [1, 5]])
        #expect(tall.columnForRow == [1, nil, 0])
        #expect(tall.pairs.map(\.row) == [0, 2])
        #expect(tall.total == 2)
    }

    @Test(.drawsFromTheRandomGenerator) func emptyMatrixHasAnEmptyAssignment() throws {
        #expect(try Hungarian.minimumCostAssignment([]).columnForRow.isEmpty)
    }

    @Test(.drawsFromTheRandomGenerator) func matchesBruteForceOnRandomMatrices() throws {
        var generator = SplitMix64(seed: 7)
        for size in 1...6 {
            for _ in 0..<5 {
                let cost = (0..<size).map { _ in (0..<size).map { _ in Double(generator.next() % 20) } }
                let best = permutations(of: Array(0..<size))
                    .map { permutation in permutation.enumerated().reduce(0.0) { $0 + cost[$1.offset][$1.element] } }
                    .min()
                #expect(try Hungarian.minimumCostAssignment(cost).total == best)
            }
        }
    }

    @Test(.drawsFromTheRandomGenerator) func permutedLabelsHavePerfectClusterAccuracy() throws {
        let labels = [0, 0, 1, 1, 1, 2, 3, 3]
        let renamed = [0: 7, 1: 2, 2: 9, 3: 4]
        let table = try ContingencyTable(labels: labels, predictions: labels.map { renamed[$0] ?? -1 })
        #expect(table.clusterAccuracy == 1)
        #expect(table.clusterToClass == [7: 0, 2: 1, 9: 2, 4: 3])
    }

    @Test(.drawsFromTheRandomGenerator) func invalidMatricesThrow() {
        #expect(throws: EvaluationError.raggedMatrix(rowLengths: [1, 2])) {
            try Hungarian.minimumCostAssignment([[1, 2], [3]])
        }
        #expect(throws: EvaluationError.nonFiniteEntry(row: 1, column: 0)) {
            try Hungarian.maximumProfitAssignment([[1, 2], [.nan, 3]])
        }
    }
}

/// All orderings of `values` (for brute-force checks of tiny problems).
private func permutations(of values: [Int]) -> [[Int]] {
    guard let first = values.first else { return [[]] }
    return permutations(of: Array(values.dropFirst())).flatMap { rest in
        (0...rest.count).map { index in var copy = rest; copy.insert(first, at: index); return copy }
    }
}
