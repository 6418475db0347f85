import TestSupport
import Testing
@testable import Torch

@Suite(.serialized, .drawsFromTheRandomGenerator) struct RuntimeSettingsTests {
    @Test(.drawsFromTheRandomGenerator) func threadCountIsRestoredAfterAScopedChange() throws {
        let before = Runtime.threadCount
        let inside = Runtime.withThreadCount(1) { Runtime.threadCount }
        #expect(inside == 1)
        #expect(Runtime.threadCount == before)
        struct Failure: Error {}
        #expect(throws: Failure.self) { try Runtime.withThreadCount(1) { throw Failure() } }
        #expect(Runtime.threadCount == before)
    }

    @Test(.drawsFromTheRandomGenerator) func threadCountsOutsideTheSaneRangeAreRejected() throws {
        let before = Runtime.threadCount
        for count in [0, -1, Runtime.maximumThreadCount + 1, 1 << 32, 1_000_000] {
            let error = #expect(throws: TorchError.self) { try Runtime.setThreadCount(count) }
            #expect(error?.message == "the thread count must be between 1 and 1024, not \(count)")
            #expect(Runtime.threadCount == before)
        }
        try Runtime.setThreadCount(1)
        #expect(Runtime.threadCount == 1)
        try Runtime.setThreadCount(before)
        #expect(Runtime.threadCount == before)
    }
}
