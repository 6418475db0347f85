import Testing
@testable import SimVAEData

@Suite struct PNGTests {
    @Test func writeThenReadRoundTripsRGBAndGrey() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let rgb = gradient(width: 7, height: 5)
        let path = folder + "/rgb.png"
        try PNG.write(rgb, to: path)
        #expect(try ImageFile.read(path) == rgb)
        let grey = Bitmap(pixels: (0 ..< 12).map { UInt8($0 * 20) }, width: 4, height: 3, channels: 1)
        try PNG.write(grey, to: folder + "/grey.png")
        #expect(try ImageFile.read(folder + "/grey.png", channels: 1) == grey)
        let widened = try ImageFile.read(folder + "/grey.png", channels: 3)
        #expect(widened.pixels == grey.pixels.flatMap { [$0, $0, $0] })
    }

    @Test func gridTilesImagesWithPadding() throws {
        let set = SyntheticShapes.generate(count: 5, size: 8, seed: 1).images
        let grid = ImageGrid.tile(set, columns: 3, padding: 2)
        #expect(grid.width == 3 * 10 + 2)
        #expect(grid.height == 2 * 10 + 2)
        // Image 4 sits in row 1, column 1: its top-left pixel lands at (12, 12).
        let expected = Bitmap(planar: set.image(4), channels: 3, height: 8, width: 8)
        #expect(Array(grid.pixels[(12 * grid.width + 12) * 3 ..< (12 * grid.width + 12) * 3 + 3])
            == Array(expected.pixels[0 ..< 3]))
        #expect(grid.pixels[0 ..< 3] == [0, 0, 0])
    }

    @Test func rejectsNonImageNamingTheFile() throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile(Array("not an image".utf8), folder, "x.png")
        let error = #expect(throws: DataError.self) { try ImageFile.read(path) }
        #expect(error?.message.contains(path) == true)
    }
}
