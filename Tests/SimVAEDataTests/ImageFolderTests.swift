import Testing
@testable import SimVAEData

@Suite struct ImageFolderTests {
    @Test func loadsClassesAlphabeticallyAndResizes() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        try PNG.write(gradient(width: 20, height: 10), to: folder + "/zebra/a.png")
        _ = try writeFile(try encodeJPEG(gradient(width: 8, height: 8)), folder, "apple/b.jpg")
        try PNG.write(Bitmap(pixels: [UInt8](repeating: 200, count: 64), width: 8, height: 8, channels: 1),
                      to: folder + "/apple/c.PNG")
        let set = try ImageFolder.load(root: folder, height: 4, width: 4)
        #expect(set.classNames == ["apple", "zebra"])
        #expect(set.labels == [0, 0, 1])
        #expect(set.shape == [3, 3, 4, 4])
        #expect(Array(set.image(1)) == [UInt8](repeating: 200, count: 48))
    }

    @Test func rejectsEmptyFolderAndUnreadableImage() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        #expect(throws: DataError.self) { try ImageFolder.load(root: folder, height: 4, width: 4) }
        let bad = try writeFile([0xFF, 0xD8, 0x00], folder, "cat/broken.jpg")
        let error = #expect(throws: DataError.self) { try ImageFolder.load(root: folder, height: 4, width: 4) }
        #expect(error?.message.contains(bad) == true)
    }
}
