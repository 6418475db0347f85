import Foundation
import Testing
@testable import SimVAEData

@Suite struct ImageFolderTests {
    @Test func trainAndTestFoldersAreTheSplitsWithLabelsByName() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        try PNG.write(gradient(width: 20, height: 10), to: folder + "/train/zebra/a.png")
        _ = try writeFile(try encodeJPEG(gradient(width: 8, height: 8)), folder, "train/apple/b.jpg")
        try PNG.write(Bitmap(pixels: [UInt8](repeating: 200, count: 64), width: 8, height: 8, channels: 1),
                      to: folder + "/train/apple/c.PNG")
        try PNG.write(grey(7), to: folder + "/test/zebra/d.png")
        #expect(try ImageFolder.split(of: folder) == .trainTestFolders)
        #expect(try ImageFolder.split(of: folder).description == "train-test-folders")
        let train = try ImageFolder.load(root: folder, split: .train, height: 4, width: 4)
        #expect(train.classNames == ["apple", "zebra"])
        #expect(train.labels == [0, 0, 1])
        #expect(train.shape == [3, 3, 4, 4])
        #expect(Array(train.image(1)) == [UInt8](repeating: 200, count: 48))
        let test = try ImageFolder.load(root: folder, split: .test, height: 4, width: 4)
        #expect(test.classNames == ["apple", "zebra"])
        #expect(test.labels == [1])
        #expect(test.pixels == [UInt8](repeating: 7, count: 48))

        try PNG.write(grey(8), to: folder + "/test/yak/e.png")
        let error = #expect(throws: DataError.self) {
            try ImageFolder.load(root: folder, split: .test, height: 4, width: 4)
        }
        #expect(error?.message.contains(folder + "/test/yak") == true)
        #expect(throws: DataError.self) { try ImageFolder.load(root: folder, split: .valid, height: 4, width: 4) }
    }

    /// Four classes of 1, 2, 10 and 100 grey images, each image filled with its own number (1 … 113).
    private static let classSizes = ["ant": 1, "bee": 2, "cat": 10, "dog": 100]

    /// Each image's number by split, read back from its pixels.
    private func numbers(in root: String) throws -> (train: [Int: Int], test: [Int: Int]) {
        let train = try ImageFolder.load(root: root, split: .train, channels: 1, height: 4, width: 4)
        let test = try ImageFolder.load(root: root, split: .test, channels: 1, height: 4, width: 4)
        #expect(train.classNames == ["ant", "bee", "cat", "dog"])
        #expect(test.classNames == train.classNames)
        func byNumber(_ set: ImageSet) -> [Int: Int] {
            Dictionary(uniqueKeysWithValues: (0 ..< set.count).map { (Int(set.image($0).first!), set.labels[$0]) })
        }
        return (byNumber(train), byNumber(test))
    }

    @Test func flatFolderHoldsOutADisjointStableTestSplitInEveryClass() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        var number = 0
        var labels: [Int: Int] = [:]
        for (label, (name, size)) in Self.classSizes.sorted(by: { $0.key < $1.key }).enumerated() {
            for index in 0 ..< size {
                number += 1
                labels[number] = label
                try PNG.write(grey(number), to: folder + "/\(name)/\(name)\(index).png")
            }
        }
        #expect(try ImageFolder.split(of: folder) == .heldOut(percent: 20))
        #expect(try ImageFolder.split(of: folder).description == "held-out-20%")
        let (train, test) = try numbers(in: folder)
        #expect(Set(train.keys).isDisjoint(with: test.keys))
        #expect(train.merging(test) { first, _ in first } == labels)
        // Every class is trained on; every class of two or more images is tested on.
        #expect(Set(train.values) == [0, 1, 2, 3])
        #expect(Set(test.values) == [1, 2, 3])
        #expect((10 ... 30).contains(test.values.filter { $0 == 3 }.count))
        #expect(try numbers(in: folder) == (train, test))
        // More images leave the others' splits as they were.
        for index in 0 ..< 5 { try PNG.write(grey(200 + index), to: folder + "/dog/new\(index).png") }
        let (grownTrain, grownTest) = try numbers(in: folder)
        #expect(grownTrain.count + grownTest.count == labels.count + 5)
        #expect(grownTrain.filter { $0.key < 200 } == train)
        #expect(grownTest.filter { $0.key < 200 } == test)
        #expect(throws: DataError.self) { try ImageFolder.load(root: folder, split: .valid, height: 4, width: 4) }
    }

    @Test func rejectsEmptyFolderAndUnreadableOrTruncatedImage() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        #expect(throws: DataError.self) { try ImageFolder.load(root: folder, split: .train, height: 4, width: 4) }
        let bad = try writeFile([0xFF, 0xD8, 0x00], folder, "cat/broken.jpg")
        let error = #expect(throws: DataError.self) {
            try ImageFolder.load(root: folder, split: .train, height: 4, width: 4)
        }
        #expect(error?.message.contains(bad) == true)
        try FileManager.default.removeItem(atPath: bad)
        let jpeg = try encodeJPEG(gradient(width: 32, height: 32))
        let cut = try writeFile(Array(jpeg.prefix(jpeg.count * 2 / 3)), folder, "cat/cut.jpg")
        let truncated = #expect(throws: DataError.self) {
            try ImageFolder.load(root: folder, split: .train, height: 4, width: 4)
        }
        #expect(truncated?.message.contains(cut) == true)
        #expect(truncated?.message.contains("truncated or corrupt") == true)
    }

    @Test func dataCheckSummarisesBothSplitsAndTheLayout() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        for index in 0 ..< 10 { try PNG.write(grey(index), to: folder + "/digit/\(index).png") }
        let lines = try DataCheck.summary(of: .folder, dataDirectory: folder, environment: [:])
        #expect(lines.contains("  split: held-out-20%"))
        #expect(lines.contains { $0.hasPrefix("  train: ") })
        #expect(lines.contains { $0.hasPrefix("  test: ") })
    }

    /// A 4×4 grey image filled with `value`.
    private func grey(_ value: Int) -> Bitmap {
        Bitmap(pixels: [UInt8](repeating: UInt8(value), count: 16), width: 4, height: 4, channels: 1)
    }
}
