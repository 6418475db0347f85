import Testing
@testable import SimVAEData

@Suite struct CIFAR10Tests {
    @Test func roundTripsRecordsAndClassNames() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let records = (0 ..< 3).flatMap { index in
            [UInt8(index)] + (0 ..< 3072).map { UInt8(truncatingIfNeeded: $0 + index) }
        }
        _ = try writeFile(records, folder, "test_batch.bin")
        let set = try CIFAR10.load(directory: folder, split: .test)
        #expect(set.shape == [3, 3, 32, 32])
        #expect(set.labels == [0, 1, 2])
        #expect(Array(set.image(2)) == Array(records[2 * 3073 + 1 ..< 3 * 3073]))
        #expect(set.classNames == CIFAR10.standardClassNames)
        _ = try writeFile(Array("a\nb\nc\n".utf8), folder, "batches.meta.txt")
        #expect(try CIFAR10.load(directory: folder, split: .test).classNames == ["a", "b", "c"])
    }

    @Test func rejectsPartialRecords() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile([UInt8](repeating: 1, count: 3073 + 100), folder, "test_batch.bin")
        let error = #expect(throws: DataError.self) { try CIFAR10.load(directory: folder, split: .test) }
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("3073") == true)
    }
}
