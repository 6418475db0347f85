import Foundation
import Testing
import Torch

/// The bookkeeping of the timing and memory helpers, never the machine's speed.
struct MeasurementTests {
    @Test func elapsedCountsTheTimeSinceTheStopwatchStarted() {
        let watch = Stopwatch()
        usleep(10_000)
        let first = watch.elapsed
        #expect(first >= 0.01)
        #expect(watch.elapsed >= first)
    }

    @Test func bestOfRunsTheBodyThatManyTimesAndKeepsTheShortestRun() {
        var runs = 0
        let best = Stopwatch.best(of: 3) {
            runs += 1
            if runs == 1 { usleep(50_000) }
        }
        #expect(runs == 3)
        #expect(best >= 0 && best < 0.05)
        #expect(Stopwatch.best(of: 0) {}.isNaN)
    }

    #if os(Linux)
    @Test func peakResidentMemoryIsAtLeastTheCurrent() throws {
        let current = try #require(ResidentMemory.current)
        let peak = try #require(ResidentMemory.peak)
        #expect(current > 0 && peak >= current)
    }
    #endif
}
