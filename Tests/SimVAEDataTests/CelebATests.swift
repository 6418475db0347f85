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
}
