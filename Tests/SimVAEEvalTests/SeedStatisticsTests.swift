import TestSupport
import Testing
@testable import SimVAEEval

@Suite(.serialized, .drawsFromTheRandomGenerator) struct SeedStatisticsTests {
    @Test(.drawsFromTheRandomGenerator) func meanAndStandardErrorOfThreeSeeds() throws {
        // Mean 2; deviations −1, 0, 1 give s² = 2 / 2 = 1, so s.e. = 1 / √3.
        let summary = try #require(MeanAndStandardError([1, 2, 3]))
        #expect(summary.mean == 2)
        #expect(abs((summary.standardError ?? 0) - 1 / 3.0.squareRoot()) < 1e-12)
        #expect(summary.count == 3)
        #expect(summary.formatted(digits: 2) == "2.00 ± 0.58")
    }

    @Test(.drawsFromTheRandomGenerator) func oneSeedHasNoStandardErrorAndNoneHasNoSummary() throws {
        let single = try #require(MeanAndStandardError([0.5]))
        #expect(single.standardError == nil)
        #expect(single.scaled(by: 100).formatted() == "50.0")
        #expect(MeanAndStandardError([]) == nil)
    }
}
