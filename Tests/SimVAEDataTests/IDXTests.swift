import Testing
@testable import SimVAEData

@Suite struct IDXTests {
    @Test func readsPlainAndGzippedFilesWithSizesFromHeaders() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let labels = (0 ..< 4000).map { UInt8($0 % 10) }
        let images = try writeGzip(idxImages(count: 4000, side: 5), folder, "train-images-idx3-ubyte.gz")
        let labelFile = try writeFile(idxLabels(labels), folder, "train-labels-idx1-ubyte")
        let set = try IDX.loadImageSet(images: images, labels: labelFile, classNames: (0 ..< 10).map(String.init))
        #expect(set.shape == [4000, 1, 5, 5])
        #expect(set.labels == labels.map(Int.init))
        #expect(set.pixels == Array(idxImages(count: 4000, side: 5)[16...]))
        #expect(set.classCounts == Array(repeating: 400, count: 10))
    }

    /// Broken image files and the words their error must contain (besides the file's path).
    static let brokenImages: [(bytes: [UInt8], problem: String)] = [
        (idxImages(count: 2, side: 3, magic: 2049), "bad magic number 2049"),
        (Array(idxImages(count: 3, side: 4).dropLast(5)), "truncated"),
        (idxImages(count: 1, side: 2) + [0], "longer than its header says"),
    ]

    @Test(arguments: brokenImages)
    func rejectsBrokenImagesNamingFileAndProblem(_ broken: (bytes: [UInt8], problem: String)) throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile(broken.bytes, folder, "broken-images-idx3-ubyte")
        let error = #expect(throws: DataError.self) { try IDX.readImages(path) }
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains(broken.problem) == true)
    }

    @Test func rejectsCorruptGzip() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let good = try writeGzip(idxLabels([1, 2, 3]), folder, "labels.gz")
        let bytes = try FileBytes.read(good)
        let cut = try writeFile(Array(bytes.prefix(bytes.count - 12)), folder, "cut-labels.gz")
        let error = #expect(throws: DataError.self) { try IDX.readLabels(cut) }
        #expect(error?.message.contains("cut-labels.gz") == true)
        var garbled = bytes
        garbled[12] ^= 0xFF
        garbled[13] ^= 0xFF
        let bad = try writeFile(garbled, folder, "garbled-labels.gz")
        #expect(throws: DataError.self) { try IDX.readLabels(bad) }
    }

    @Test func rejectsCountMismatch() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let images = try writeFile(idxImages(count: 3, side: 2), folder, "i")
        let labels = try writeFile(idxLabels([0, 1]), folder, "l")
        let error = #expect(throws: DataError.self) {
            try IDX.loadImageSet(images: images, labels: labels, classNames: ["a", "b"])
        }
        #expect(error?.message.contains("3 images") == true)
        #expect(error?.message.contains("2 labels") == true)
    }
}

@Suite struct IDXBoundsTests {
    @Test func refusesACompressedHeaderDeclaringMoreThanTheFileCanHold() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let header = bigEndian(2051) + bigEndian(1 << 31) + bigEndian(28) + bigEndian(28)
        let path = try writeGzip(header + [UInt8](repeating: 0, count: 64), folder, "huge-images-idx3-ubyte.gz")
        let error = #expect(throws: DataError.self) { try IDX.readImages(path) }
        #expect(error?.message.hasPrefix(path + ": truncated") == true)
        #expect(error?.message.contains("2147483648 images of 28×28") == true)
        #expect(error?.message.contains("compressed bytes can hold at most") == true)
    }

    @Test func inflatesAGzipBombOnlyAsFarAsItsHeaderAnnounces() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        // 4 MiB of zeros behind a header announcing two labels.
        let bytes = idxLabels([0, 1]) + [UInt8](repeating: 0, count: 4 << 20)
        let path = try writeGzip(bytes, folder, "bomb-labels-idx1-ubyte.gz")
        let compressed = try FileBytes.read(path)
        #expect(try Gzip.decompress(compressed, name: path, limit: 11) == Array(bytes.prefix(11)))
        #expect(try Gzip.decompress(compressed, name: path).count == bytes.count)
        let error = #expect(throws: DataError.self) { try IDX.readLabels(path) }
        #expect(error?.message.hasPrefix(path + ": longer than its header says") == true)
    }

    @Test func rejectsLabelsOutsideTheClassesAndLabelsWithImagesMagic() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let images = try writeFile(idxImages(count: 3, side: 2), folder, "images")
        let labels = try writeGzip(idxLabels([0, 1, 2]), folder, "labels.gz")
        let error = #expect(throws: DataError.self) {
            try IDX.loadImageSet(images: images, labels: labels, classNames: ["a", "b"])
        }
        #expect(error?.message.hasPrefix(labels + ": label 2 of image 2") == true)
        let swapped = try writeFile(idxLabels([0, 1, 2], magic: 2051), folder, "swapped")
        let magic = #expect(throws: DataError.self) { try IDX.readLabels(swapped) }
        #expect(magic?.message.contains("bad magic number 2051 (expected 2049") == true)
        let short = try writeFile([0, 0, 8], folder, "short")
        let header = #expect(throws: DataError.self) { try IDX.readLabels(short) }
        #expect(header?.message.contains("too short for an IDX labels header") == true)
    }
}
