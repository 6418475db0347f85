import CCodecs
import Foundation
import Torch

/// PNG reading and writing through libpng's simplified API.
public enum PNG {
    /// Decodes PNG bytes of any colour type and bit depth to a grey (`channels` 1) or RGB (`channels` 3) bitmap:
    /// palettes are expanded, 16-bit samples reduced to 8 bits, colour converted to grey (or grey replicated to
    /// RGB) as asked, and an alpha channel dropped (as PIL's `convert("RGB")` does).
    ///
    /// Before the pixels are allocated, the dimensions are checked against `ImageFile.maximumSide` and
    /// `ImageFile.maximumPixelCount`, and the chunks are walked: they must be whole up to the `IEND` chunk, and the
    /// `IDAT` chunks long enough to inflate to the declared size (deflate expands at most
    /// `Gzip.maximumExpansion`-fold). libpng then checks every chunk's CRC and the image data's length.
    /// - Parameter name: the file the bytes come from, named in errors.
    /// - Throws: `DataError` when the bytes are not a decodable PNG, declare too many pixels, or are truncated or
    ///   corrupt.
    public static func decode(_ bytes: [UInt8], channels: Int = 3, name: String) throws -> Bitmap {
        precondition(channels == 1 || channels == 3, "PNG decodes to 1 or 3 channels")
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        guard png_image_begin_read_from_memory(&image, bytes, bytes.count) != 0 else {
            throw DataError(file: name, "is not a decodable PNG (\(message(of: &image)))")
        }
        let width = Int(image.width), height = Int(image.height)
        try ImageFile.checkDimensions(width: width, height: height, name: name)
        let imageData = try imageDataLength(bytes, name: name)
        // Even at one bit per pixel, each row holds a filter byte and ⌈width/8⌉ bytes.
        guard imageData * Gzip.maximumExpansion >= height * (1 + (width + 7) / 8) else {
            throw DataError(file: name, "is truncated or corrupt (PNG: its \(imageData) bytes of image data cannot "
                                + "hold \(width)×\(height) pixels)")
        }
        let hasAlpha = image.format & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
        let stored = channels + (hasAlpha ? 1 : 0)
        image.format = (channels == 3 ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0)
            | (hasAlpha ? png_uint_32(PNG_FORMAT_FLAG_ALPHA) : 0)
        var buffer = [UInt8](repeating: 0, count: width * height * stored)
        let finished = buffer.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else {
            throw DataError(file: name, "is truncated or corrupt (PNG: \(message(of: &image)))")
        }
        if hasAlpha {
            buffer = (0 ..< width * height).flatMap { buffer[$0 * stored ..< $0 * stored + channels] }
        }
        return Bitmap(pixels: buffer, width: width, height: height, channels: channels)
    }

    /// The total length of the `IDAT` chunks, after checking that the chunks (8-byte signature, then each a 4-byte
    /// big-endian length, a 4-byte type, the data and a 4-byte CRC) fit in the bytes and end with `IEND`.
    private static func imageDataLength(_ bytes: [UInt8], name: String) throws -> Int {
        var offset = 8
        var total = 0
        while offset + 8 <= bytes.count {
            let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[offset + 4 ..< offset + 8], as: UTF8.self)
            offset += 12 + length
            guard offset <= bytes.count else { break }
            if type == "IDAT" { total += length }
            if type == "IEND" { return total }
        }
        throw DataError(file: name, "is truncated or corrupt (PNG: it ends before its IEND chunk)")
    }

    /// Writes a grey or RGB bitmap to a PNG file, creating its folder if needed.
    /// - Throws: `DataError` naming the file when it cannot be written.
    public static func write(_ bitmap: Bitmap, to path: String) throws {
        precondition(bitmap.channels == 1 || bitmap.channels == 3, "PNG writes 1 or 3 channels")
        // Through URL: NSString's deletingLastPathComponent traps on a one-character path such as "0".
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                 withIntermediateDirectories: true)
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(bitmap.width)
        image.height = png_uint_32(bitmap.height)
        image.format = bitmap.channels == 3 ? png_uint_32(PNG_FORMAT_FLAG_COLOR) : 0
        // Encoded in memory (a first call measures the size), then written atomically: a reader, or a process
        // killed mid-write, never sees half a picture.
        var size: png_alloc_size_t = 0
        let measured = bitmap.pixels.withUnsafeBytes { pixels -> Int32 in
            png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, 0, nil)
        }
        var encoded = [UInt8](repeating: 0, count: measured != 0 ? Int(size) : 0)
        let written = measured == 0 ? 0 : bitmap.pixels.withUnsafeBytes { pixels -> Int32 in
            encoded.withUnsafeMutableBytes { output -> Int32 in
                png_image_write_to_memory(&image, output.baseAddress, &size, 0, pixels.baseAddress, 0, nil)
            }
        }
        guard written != 0 else {
            throw DataError(file: path, "cannot be written as PNG (\(message(of: &image)))")
        }
        do {
            try AtomicFile.write(Data(encoded.prefix(Int(size))), to: URL(fileURLWithPath: path))
        } catch {
            throw DataError(file: path, "cannot be written (\(error))")
        }
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
