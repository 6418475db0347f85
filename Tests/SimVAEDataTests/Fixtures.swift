import CCodecs
import Foundation
@testable import SimVAEData

/// A fresh temporary folder, removed by the caller's `defer`.
func makeTemporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "simvae-data-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func removeFolder(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// `folder/name`, with its parent folders created.
func preparedPath(_ folder: String, _ name: String) throws -> String {
    let path = (folder as NSString).appendingPathComponent(name)
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    return path
}

func writeFile(_ bytes: [UInt8], _ folder: String, _ name: String) throws -> String {
    let path = try preparedPath(folder, name)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func bigEndian(_ value: Int) -> [UInt8] {
    (0 ..< 4).map { UInt8(truncatingIfNeeded: value >> (8 * (3 - $0))) }
}

/// An IDX images file body (header + pixels) for `count` images of `side`×`side`, pixel value = (i + offset) % 256.
func idxImages(count: Int, side: Int, magic: Int = 2051) -> [UInt8] {
    bigEndian(magic) + bigEndian(count) + bigEndian(side) + bigEndian(side)
        + (0 ..< count * side * side).map { UInt8(truncatingIfNeeded: $0 &* 7) }
}

func idxLabels(_ labels: [UInt8], magic: Int = 2049) -> [UInt8] {
    bigEndian(magic) + bigEndian(labels.count) + labels
}

/// Writes `bytes` gzip-compressed with zlib's own gz writer.
func writeGzip(_ bytes: [UInt8], _ folder: String, _ name: String) throws -> String {
    let path = try preparedPath(folder, name)
    guard let file = gzopen(path, "wb") else { throw DataError(file: path, "gzopen failed") }
    let written = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    gzclose(file)
    guard written == bytes.count else { throw DataError(file: path, "gzwrite failed") }
    return path
}

/// Encodes an RGB bitmap as JPEG with TurboJPEG.
func encodeJPEG(_ bitmap: Bitmap, quality: Int32 = 95) throws -> [UInt8] {
    guard let handle = tjInitCompress() else { throw DataError("tjInitCompress failed") }
    defer { tjDestroy(handle) }
    var output: UnsafeMutablePointer<UInt8>?
    var size: UInt = 0
    let status = bitmap.pixels.withUnsafeBufferPointer {
        tjCompress2(handle, $0.baseAddress, Int32(bitmap.width), 0, Int32(bitmap.height),
                    Int32(TJPF_RGB.rawValue), &output, &size, Int32(TJSAMP_444.rawValue), quality, 0)
    }
    defer { tjFree(output) }
    guard status == 0, let output else { throw DataError("tjCompress2 failed") }
    return Array(UnsafeBufferPointer(start: output, count: Int(size)))
}

/// A smooth RGB test pattern.
func gradient(width: Int, height: Int) -> Bitmap {
    var pixels: [UInt8] = []
    for y in 0 ..< height {
        for x in 0 ..< width {
            pixels += [UInt8(x * 255 / max(1, width - 1)), UInt8(y * 255 / max(1, height - 1)), 128]
        }
    }
    return Bitmap(pixels: pixels, width: width, height: height, channels: 3)
}

/// The bytes of `bitmap` written as a PNG file.
func encodePNG(_ bitmap: Bitmap) throws -> [UInt8] {
    let folder = try makeTemporaryFolder()
    defer { removeFolder(folder) }
    try PNG.write(bitmap, to: folder + "/image.png")
    return try FileBytes.read(folder + "/image.png")
}

/// The PNG chunks of `bytes` (after the 8-byte signature): type, offset of the length field, data length.
func pngChunks(_ bytes: [UInt8]) -> [(type: String, offset: Int, length: Int)] {
    var chunks: [(type: String, offset: Int, length: Int)] = []
    var offset = 8
    while offset + 8 <= bytes.count {
        let length = bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) }
        chunks.append((String(decoding: bytes[offset + 4 ..< offset + 8], as: UTF8.self), offset, length))
        offset += 12 + length
    }
    return chunks
}

/// A PNG chunk with its length and a correct CRC.
func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    let crc = body.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, UInt32($0.count))) }
    return bigEndian(data.count) + body + bigEndian(crc)
}

/// The PNG with its header (IHDR) declaring `width`×`height`, CRC updated, image data unchanged.
func patchingPNGSize(_ bytes: [UInt8], width: Int, height: Int) -> [UInt8] {
    let header = Array(bytes[16 ..< 29])
    return Array(bytes[..<8]) + pngChunk("IHDR", bigEndian(width) + bigEndian(height) + header[8...])
        + bytes[33...]
}

/// The JPEG with its frame header (SOF0) declaring `width`×`height`, image data unchanged.
func patchingJPEGSize(_ bytes: [UInt8], width: Int, height: Int) -> [UInt8] {
    let frame = (0 ..< bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 }!
    var patched = bytes
    patched[frame + 5 ..< frame + 9] = [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8),
                                        UInt8(width & 0xFF)]
    return patched
}
