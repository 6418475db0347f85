import Testing
@testable import SimVAEData

/// Oversized, truncated and corrupt PNG and JPEG files: each is a `DataError` naming the file, and an oversized one
/// is refused from its header, before the declared size is allocated (100 000×100 000 RGB would be 30 GB).
@Suite struct CorruptImageTests {
    /// Writes `bytes` under `name`, decodes them and checks the error names the file and holds `problem`.
    private func expectRejected(_ bytes: [UInt8], _ name: String, _ problem: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = try makeTemporaryFolder()
        defer { removeFolder(folder) }
        let path = try writeFile(bytes, folder, name)
        let error = #expect(throws: DataError.self, sourceLocation: sourceLocation) {
            _ = try ImageFile.read(path)
        }
        #expect(error?.message.hasPrefix(path + ": ") == true, sourceLocation: sourceLocation)
        #expect(error?.message.contains(problem) == true, "\(error?.message ?? "")", sourceLocation: sourceLocation)
    }

    /// The two formats, each with its encoder and a patch of the size its header declares.
    enum Format: String, CaseIterable {
        case png, jpg

        func encode(_ bitmap: Bitmap) throws -> [UInt8] {
            self == .png ? try encodePNG(bitmap) : try encodeJPEG(bitmap)
        }

        func patchingSize(_ bytes: [UInt8], width: Int, height: Int) -> [UInt8] {
            self == .png ? patchingPNGSize(bytes, width: width, height: height)
                         : patchingJPEGSize(bytes, width: width, height: height)
        }
    }

    @Test(arguments: Format.allCases)
    func rejectsImagesDeclaringTooManyPixels(_ format: Format) throws {
        let image = try format.encode(gradient(width: 64, height: 64))
        for (side, problem) in [(20_000, "declares 20000×20000 pixels, more than the 16384 px limit on a side"),
                                (9_000, "declares 9000×9000 pixels, more than the 67108864-pixel limit")] {
            try expectRejected(format.patchingSize(image, width: side, height: side), "\(side).\(format)", problem)
        }
    }

    @Test func rejectsPNGDeclaringAHugeOrEmptyImageOrMoreThanItsDataHolds() throws {
        let png = try encodePNG(gradient(width: 64, height: 64))
        try expectRejected(patchingPNGSize(png, width: 100_000, height: 100_000), "huge.png",
                           "declares 100000×100000 pixels, more than the 16384 px limit on a side")
        try expectRejected(patchingPNGSize(png, width: 0, height: 64), "empty.png", "is not a decodable PNG")
        // Within the limits, but far more pixels than its few bytes of image data can inflate to.
        try expectRejected(patchingPNGSize(png, width: 8_000, height: 8_000), "inflated.png",
                           "bytes of image data cannot hold 8000×8000 pixels")
    }

    @Test func rejectsTruncatedPNG() throws {
        let png = try encodePNG(gradient(width: 64, height: 64))
        for cut in [9, 20, 33, 40, png.count / 2, png.count - 12, png.count - 1] {
            try expectRejected(Array(png.prefix(cut)), "cut\(cut).png", "PNG")
        }
        // Image data cut short inside intact chunks (correct CRCs): libpng finds too few rows.
        let data = pngChunks(png).first { $0.type == "IDAT" }!
        let shortData = Array(png[data.offset + 8 ..< data.offset + 8 + data.length / 2])
        let short = Array(png[..<data.offset]) + pngChunk("IDAT", shortData) + pngChunk("IEND", [])
        try expectRejected(short, "short-data.png", "is truncated or corrupt (PNG:")
        // Missing IEND is the one cut libpng itself lets through.
        try expectRejected(Array(png.prefix(png.count - 12)), "no-end.png", "ends before its IEND chunk")
    }

    @Test func rejectsPNGWithFlippedBytes() throws {
        let png = try encodePNG(gradient(width: 64, height: 64))
        let data = pngChunks(png).first { $0.type == "IDAT" }!
        // In the header, the image data (twice), the data's CRC and the end chunk.
        for offset in [18, data.offset + 10, data.offset + 8 + data.length / 2, data.offset + 8 + data.length,
                       png.count - 6] {
            var flipped = png
            flipped[offset] ^= 0x5A
            try expectRejected(flipped, "flipped\(offset).png", "PNG")
        }
    }

    @Test func rejectsTruncatedJPEG() throws {
        let jpeg = try encodeJPEG(gradient(width: 64, height: 64))
        for cut in [3, 20, 100] {
            try expectRejected(Array(jpeg.prefix(cut)), "head\(cut).jpg", "is truncated or corrupt")
        }
        // Cut in the image data, or only the end marker missing: libjpeg warns and fills in, which is an error.
        for cut in [jpeg.count / 2, jpeg.count - 10, jpeg.count - 2] {
            try expectRejected(Array(jpeg.prefix(cut)), "cut\(cut).jpg",
                               "is truncated or corrupt (JPEG: Premature end of JPEG file)")
        }
        // A header patched to 1 000×1 000: the data runs out long before the rows do.
        try expectRejected(patchingJPEGSize(jpeg, width: 1_000, height: 1_000), "stretched.jpg",
                           "is truncated or corrupt (JPEG: Corrupt JPEG data: premature end of data segment)")
    }

    @Test func rejectsJPEGWithCorruptMarkersOrTables() throws {
        let jpeg = try encodeJPEG(gradient(width: 64, height: 64))
        // JPEG data carry no checksum, so a flipped bit inside the entropy-coded data may decode to a wrong image
        // unnoticed; flips in the markers and tables are detected.
        let table = (0 ..< jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC4 }!
        for offset in [2, table + 5, jpeg.count - 1] {
            var flipped = jpeg
            flipped[offset] ^= 0x55
            try expectRejected(flipped, "flipped\(offset).jpg", "JPEG")
        }
    }

    @Test func decodesIntactImagesAtTheLimits() throws {
        let wide = Bitmap(pixels: [UInt8](repeating: 9, count: ImageFile.maximumSide), width: ImageFile.maximumSide,
                          height: 1, channels: 1)
        #expect(try PNG.decode(encodePNG(wide), channels: 1, name: "wide.png") == wide)
        let image = gradient(width: 64, height: 48)
        #expect(try JPEG.decode(encodeJPEG(image), name: "image.jpg").width == 64)
    }
}
