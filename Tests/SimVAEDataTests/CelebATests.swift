import Foundation
import Testing
@testable import SimVAEData

@Suite struct CelebATests {
    /// Writes three 178×218 JPEGs and the attribute and partition files; image 2 is the only test image.
    private func writeCelebA(_ folder: String) throws {
        for index in 1 ... 3 {
            _ = try writeFile(try encodeJPEG(gradient(width: 178, height: 218)), folder,
                              "img_align_celeba/00000\(index).jpg")
        }
        let attributes = """
        3
        Smiling  Young
        000001.jpg  1 -1
        000002.jpg -1  1
        000003.jpg  1  1

        """
        _ = try writeFile(Array(attributes.utf8), folder, CelebA.attributesFile)
        _ = try writeFile(Array("000001.jpg 0\n000002.jpg 2\n000003.jpg 0\n".utf8), folder, CelebA.partitionFile)
    }

    @Test func loadsSplitsWithAttributesAndReusesTheCache() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        try writeCelebA(folder)
        let train = try CelebA.load(directory: folder, split: .train, size: 16)
        #expect(train.shape == [2, 3, 16, 16])
        #expect(train.attributes?.names == ["Smiling", "Young"])
        #expect(train.attributes?.values == [1, -1, 1, 1])
        let test = try CelebA.load(directory: folder, split: .test, size: 16)
        #expect(test.attributes?.values == [-1, 1])
        // Red follows x across the centred square crop: left column dark, right column bright.
        #expect(test.pixels[0] < 30 && test.pixels[15] > 225)
        let cache = folder + "/celeba-train-3x16x16.u8cache"
        #expect(FileManager.default.fileExists(atPath: cache))
        // With the JPEGs gone, the split still loads, from the cache.
        try FileManager.default.removeItem(atPath: folder + "/img_align_celeba")
        #expect(try CelebA.load(directory: folder, split: .train, size: 16) == train)
    }

    @Test func namesFileAndLineOfAMalformedAttributeLine() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        try writeCelebA(folder)
        _ = try writeFile(Array("1\nSmiling Young\n000001.jpg 1 0\n".utf8), folder, CelebA.attributesFile)
        let error = #expect(throws: DataError.self) { try CelebA.load(directory: folder, split: .train) }
        #expect(error?.message.contains(CelebA.attributesFile) == true)
        #expect(error?.message.contains("line 3") == true)
    }

    /// Broken attribute or partition files (replacing the good ones), the file the error must name and the words
    /// it must contain.
    static let brokenListings: [(attributes: String?, partition: String?, file: String, problem: String)] = [
        ("3\nSmiling Young\n000001.jpg 1\n000002.jpg -1 1\n000003.jpg 1 1\n", nil, CelebA.attributesFile,
         "line 3: expected a file name and 2 values of 1 or -1"),
        ("3\nSmiling Young\n000001.jpg 1 -1\n000002.jpg -1 1 1\n000003.jpg 1 1\n", nil, CelebA.attributesFile,
         "line 4: expected"),
        ("3\nSmiling Young\n000001.jpg 1 -1\n000001.jpg -1 1\n000003.jpg 1 1\n", nil, CelebA.attributesFile,
         "line 4: 000001.jpg is listed twice (also line 3)"),
        ("4\nSmiling Young\n000001.jpg 1 -1\n000002.jpg -1 1\n000003.jpg 1 1\n", nil, CelebA.attributesFile,
         "line 1 announces 4 images but 3 are listed"),
        ("Smiling Young\n000001.jpg 1 -1\n", nil, CelebA.attributesFile, "line 1 should hold the image count"),
        (nil, "000001.jpg 0\n000002.jpg 3\n000003.jpg 0\n", CelebA.partitionFile,
         "line 2: expected a file name and 0, 1 or 2"),
        (nil, "000001.jpg 0\n000002.jpg\n000003.jpg 0\n", CelebA.partitionFile, "line 2: expected"),
        (nil, "000001.jpg 0\n000002.jpg 2 1\n000003.jpg 0\n", CelebA.partitionFile, "line 2: expected"),
        (nil, "000001.jpg 0\n000002.jpg 2\n000002.jpg 2\n000003.jpg 0\n", CelebA.partitionFile,
         "line 3: 000002.jpg is listed twice (also line 2)"),
        (nil, "000001.jpg 0\n000002.jpg 2\n000003.jpg 0\n000004.jpg 0\n", CelebA.partitionFile,
         "line 4: 000004.jpg is not listed in list_attr_celeba.txt"),
        (nil, "000001.jpg 0\n\n000003.jpg 0\n", CelebA.attributesFile,
         "line 4: 000002.jpg is not listed in list_eval_partition.txt"),
    ]

    @Test(arguments: brokenListings)
    func namesFileAndLineOfABrokenListing(
        _ broken: (attributes: String?, partition: String?, file: String, problem: String)
    ) throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        try writeCelebA(folder)
        for (text, name) in [(broken.attributes, CelebA.attributesFile), (broken.partition, CelebA.partitionFile)] {
            if let text { _ = try writeFile(Array(text.utf8), folder, name) }
        }
        let error = #expect(throws: DataError.self) {
            try CelebA.load(directory: folder, split: .train, cache: .disabled)
        }
        #expect(error?.message.hasPrefix(folder + "/" + broken.file + ": ") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(broken.problem) == true, "\(error?.message ?? "")")
    }

    @Test func namesAMissingImageAndRebuildsADamagedCache() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        try writeCelebA(folder)
        let train = try CelebA.load(directory: folder, split: .train, size: 8)
        let cache = folder + "/celeba-train-3x8x8.u8cache"
        let good = try FileBytes.read(cache)
        var garbled = good
        garbled[20] ^= 0xFF
        for damaged in [Array(good.dropLast()), good + [0], garbled] {
            try FileBytes.write(damaged, to: cache)
            #expect(try CelebA.load(directory: folder, split: .train, size: 8) == train)
            #expect(try FileBytes.read(cache) == good)
        }
        try FileManager.default.removeItem(atPath: folder + "/img_align_celeba/000003.jpg")
        try FileManager.default.removeItem(atPath: cache)
        let error = #expect(throws: DataError.self) { try CelebA.load(directory: folder, split: .train, size: 8) }
        #expect(error?.message == folder + "/img_align_celeba/000003.jpg: no such file")
    }
}
