import Testing
@testable import SimVAEData

@Suite struct CIFAR10Tests {
    /// Records with the given labels, each followed by 3 072 pixel bytes.
    private func records(_ labels: [UInt8]) -> [UInt8] {
        labels.enumerated().flatMap { index, label in
            [label] + (0 ..< 3072).map { UInt8(truncatingIfNeeded: $0 + index) }
        }
    }

    @Test func roundTripsRecordsAndClassNames() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let records = records([0, 1, 9])
        _ = try writeFile(records, folder, "test_batch.bin")
        let set = try CIFAR10.load(directory: folder, split: .test)
        #expect(set.shape == [3, 3, 32, 32])
        #expect(set.labels == [0, 1, 9])
        #expect(Array(set.image(2)) == Array(records[2 * 3073 + 1 ..< 3 * 3073]))
        #expect(set.classNames == CIFAR10.standardClassNames)
        let names = (0 ..< 10).map { "class\($0)" }
        _ = try writeFile(Array((names.joined(separator: "\n") + "\n\n").utf8), folder, "batches.meta.txt")
        #expect(try CIFAR10.load(directory: folder, split: .test).classNames == names)
    }

    @Test func rejectsPartialRecords() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile([UInt8](repeating: 1, count: 3073 + 100), folder, "test_batch.bin")
        let error = #expect(throws: DataError.self) { try CIFAR10.load(directory: folder, split: .test) }
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("3073") == true)
    }

    @Test func rejectsLabelsOutsideTheTenClasses() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile(records([3, 10]), folder, "test_batch.bin")
        let error = #expect(throws: DataError.self) { try CIFAR10.load(directory: folder, split: .test) }
        #expect(error?.message == "\(path): record 1 has label 10, not below the 10 classes")
        // A class list of another length would let labels past 9 through.
        let meta = try writeFile(Array((0 ..< 11).map { "c\($0)\n" }.joined().utf8), folder, "batches.meta.txt")
        let names = #expect(throws: DataError.self) { try CIFAR10.load(directory: folder, split: .test) }
        #expect(names?.message == "\(meta): lists 11 class names, not CIFAR-10's 10")
    }
}
