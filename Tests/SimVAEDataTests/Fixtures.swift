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
