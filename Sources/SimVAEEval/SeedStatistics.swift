import Foundation

/// The mean of a score over several seeds and its standard error, as the paper reports results (§6–§7).
public struct MeanAndStandardError: Equatable, Sendable {
    /// The arithmetic mean of the values.
    public let mean: Double
    /// The standard error of the mean, `s / √n` with the sample standard deviation `s` (n − 1 in its
    /// denominator); `nil` for a single value, whose spread is unknown.
    public let standardError: Double?
    /// How many values were summarised.
    public let count: Int

    /// Summarises `values`; returns `nil` when there are none.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        self.mean = mean
        self.count = values.count
        if values.count > 1 {
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
            standardError = (variance / count).squareRoot()
        } else {
            standardError = nil
        }
    }

    /// Creates a summary from known figures, such as a published mean ± s.e.
    public init(mean: Double, standardError: Double?, count: Int) {
        self.mean = mean
        self.standardError = standardError
        self.count = count
    }

    /// The summary with mean and standard error multiplied by `factor` (e.g. 100 for percentages).
    public func scaled(by factor: Double) -> MeanAndStandardError {
        MeanAndStandardError(mean: mean * factor, standardError: standardError.map { $0 * factor }, count: count)
    }

    /// Formats as `"98.4 ± 0.1"` (or `"98.4"` without a standard error) with `digits` decimals.
    public func formatted(digits: Int = 1) -> String {
        let mean = String(format: "%.\(digits)f", self.mean)
        guard let standardError else { return mean }
        return "\(mean) ± " + String(format: "%.\(digits)f", standardError)
    }
}
