import Testing
@testable import Torch

@Suite struct RuntimeSettingsTests {
    @Test func threadCountIsRestoredAfterAScopedChange() throws {
        let before = Runtime.threadCount
        let inside = Runtime.withThreadCount(1) { Runtime.threadCount }
        #expect(inside == 1)
        #expect(Runtime.threadCount == before)
        struct Failure: Error {}
        #expect(throws: Failure.self) { try Runtime.withThreadCount(1) { throw Failure() } }
        #expect(Runtime.threadCount == before)
    }
}
