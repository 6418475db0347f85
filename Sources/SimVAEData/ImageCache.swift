import Foundation

/// A binary cache of decoded images: a 36-byte header (magic `SIMVAEU8`, then little-endian UInt32 version, count,
/// channels, height, width and a UInt64 fingerprint of the sources) followed by the N×C×H×W pixels.
enum ImageCache {
    static let magic = Array("SIMVAEU8".utf8)
    static let version: UInt32 = 1
    static let headerSize = 8 + 5 * 4 + 8

    /// The cached pixels when `path` holds a cache of exactly this shape and fingerprint; `nil` otherwise
    /// (missing, stale, or damaged caches are simply rebuilt). A file of the wrong length is not even read.
    static func read(_ path: String, count: Int, channels: Int, height: Int, width: Int,
                     fingerprint: UInt64) -> [UInt8]? {
        let length = headerSize + count * channels * height * width
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              (attributes[.size] as? NSNumber)?.intValue == length,
              let bytes = try? FileBytes.read(path), bytes.count == length,
              bytes.prefix(headerSize) == ArraySlice(header(count: count, channels: channels, height: height,
                                                           width: width, fingerprint: fingerprint))
        else { return nil }
        return Array(bytes[headerSize...])
    }

    /// Writes the cache; failures (e.g. a read-only data folder) are ignored, since the cache only saves time.
    static func write(_ pixels: [UInt8], to path: String, count: Int, channels: Int, height: Int, width: Int,
                      fingerprint: UInt64) {
        let head = header(count: count, channels: channels, height: height, width: width, fingerprint: fingerprint)
        try? FileBytes.write(head + pixels, to: path)
    }

    /// A 64-bit FNV-1a hash of the strings (e.g. the source file names, in order).
    static func fingerprint(of strings: [String]) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for string in strings {
            for byte in string.utf8 + [0] { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        return hash
    }

    private static func header(count: Int, channels: Int, height: Int, width: Int, fingerprint: UInt64) -> [UInt8] {
        let fields = [version, UInt32(count), UInt32(channels), UInt32(height), UInt32(width)]
        return magic + fields.flatMap { littleEndianBytes(UInt64($0), count: 4) }
            + littleEndianBytes(fingerprint, count: 8)
    }

    private static func littleEndianBytes(_ value: UInt64, count: Int) -> [UInt8] {
        (0 ..< count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }
}
