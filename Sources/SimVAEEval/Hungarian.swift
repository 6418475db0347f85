/// A one-to-one matching of the rows of a matrix to its columns.
///
/// When the matrix is rectangular, every row is matched if there are at least as many columns as rows, and every
/// column is matched otherwise; the rest stay unmatched (`nil`).
public struct Assignment: Equatable, Sendable {
    /// For each row, the column it is matched to, or `nil` when the row is left unmatched.
    public let columnForRow: [Int?]
    /// The sum of the matrix entries at the matched positions (a total cost or a total profit).
    public let total: Double

    /// The matched `(row, column)` pairs, in row order.
    public var pairs: [(row: Int, column: Int)] {
        columnForRow.enumerated().compactMap { row, column in column.map { (row, $0) } }
    }
}

/// The Hungarian (Kuhn–Munkres) assignment algorithm, in the O(n²·m) shortest-augmenting-path form of
/// Jonker and Volgenant with row and column potentials.
public enum Hungarian {
    /// Matches rows to columns one-to-one so that the sum of the matched costs is as small as possible.
    ///
    /// - Parameter cost: a rectangular matrix of finite costs, `cost[row][column]`; it may be empty or non-square.
    /// - Throws: `EvaluationError` when the matrix is ragged or holds a non-finite entry.
    public static func minimumCostAssignment(_ cost: [[Double]]) throws -> Assignment {
        try validate(cost)
        let columnForRow = solve(cost)
        return Assignment(columnForRow: columnForRow, total: total(of: cost, at: columnForRow))
    }

    /// Matches rows to columns one-to-one so that the sum of the matched profits is as large as possible.
    ///
    /// - Parameter profit: a rectangular matrix of finite profits, `profit[row][column]`; it may be non-square.
    /// - Throws: `EvaluationError` when the matrix is ragged or holds a non-finite entry.
    public static func maximumProfitAssignment(_ profit: [[Double]]) throws -> Assignment {
        try validate(profit)
        let columnForRow = solve(profit.map { $0.map { -$0 } })
        return Assignment(columnForRow: columnForRow, total: total(of: profit, at: columnForRow))
    }

    private static func validate(_ matrix: [[Double]]) throws {
        let lengths = Set(matrix.map(\.count))
        guard lengths.count <= 1 else { throw EvaluationError.raggedMatrix(rowLengths: lengths) }
        for (row, values) in matrix.enumerated() {
            if let column = values.firstIndex(where: { !$0.isFinite }) {
                throw EvaluationError.nonFiniteEntry(row: row, column: column)
            }
        }
    }

    private static func total(of matrix: [[Double]], at columnForRow: [Int?]) -> Double {
        zip(matrix, columnForRow).reduce(0) { sum, pair in sum + (pair.1.map { pair.0[$0] } ?? 0) }
    }

    /// Solves a validated minimisation problem; transposes it first when it has more rows than columns.
    private static func solve(_ cost: [[Double]]) -> [Int?] {
        let rows = cost.count
        let columns = cost.first?.count ?? 0
        guard rows > 0, columns > 0 else { return Array(repeating: nil, count: rows) }
        guard rows <= columns else {
            let transposed = (0..<columns).map { column in cost.map { $0[column] } }
            var columnForRow = [Int?](repeating: nil, count: rows)
            for (column, row) in solveWide(transposed).enumerated() { columnForRow[row] = column }
            return columnForRow
        }
        return solveWide(cost)
    }

    /// The core algorithm for `rows <= columns`: every row gets a distinct column.
    ///
    /// Indices are 1-based inside, with row/column 0 as the virtual start of each augmenting path.
    private static func solveWide(_ cost: [[Double]]) -> [Int] {
        let rows = cost.count
        let columns = cost[0].count
        var rowPotential = [Double](repeating: 0, count: rows + 1)
        var columnPotential = [Double](repeating: 0, count: columns + 1)
        var rowOfColumn = [Int](repeating: 0, count: columns + 1)
        var previousColumn = [Int](repeating: 0, count: columns + 1)
        for row in 1...rows {
            rowOfColumn[0] = row
            var column = 0
            var slack = [Double](repeating: .infinity, count: columns + 1)
            var visited = [Bool](repeating: false, count: columns + 1)
            repeat {
                visited[column] = true
                let currentRow = rowOfColumn[column]
                var delta = Double.infinity
                var nextColumn = 0
                for candidate in 1...columns where !visited[candidate] {
                    let reduced = cost[currentRow - 1][candidate - 1] - rowPotential[currentRow]
                        - columnPotential[candidate]
                    if reduced < slack[candidate] {
                        slack[candidate] = reduced
                        previousColumn[candidate] = column
                    }
                    if slack[candidate] < delta {
                        delta = slack[candidate]
                        nextColumn = candidate
                    }
                }
                for candidate in 0...columns {
                    if visited[candidate] {
                        rowPotential[rowOfColumn[candidate]] += delta
                        columnPotential[candidate] -= delta
                    } else {
                        slack[candidate] -= delta
                    }
                }
                column = nextColumn
            } while rowOfColumn[column] != 0
            repeat {
                let previous = previousColumn[column]
                rowOfColumn[column] = rowOfColumn[previous]
                column = previous
            } while column != 0
        }
        var columnForRow = [Int](repeating: 0, count: rows)
        for column in 1...columns where rowOfColumn[column] != 0 {
            columnForRow[rowOfColumn[column] - 1] = column - 1
        }
        return columnForRow
    }
}
