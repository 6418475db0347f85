import CCodecs

/// Gzip and zlib streams through the system zlib.
public enum Gzip {
    /// How many times larger than its compressed form deflated data can be, at most (deflate's limit is 1032:1:
    /// one 258-byte match per two bits). Bounds the size a file can honestly declare, and so a "gzip bomb".
    public static let maximumExpansion = 1032

    /// Whether `bytes` start with the gzip magic number (0x1f 0x8b).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates a gzip or zlib stream (the header is detected automatically), stopping after `limit` bytes.
    ///
    /// Memory grows with the output and never beyond `limit`, so a caller that knows the size to expect can ask
    /// for one byte more and tell an overlong stream from a complete one without inflating all of it.
    /// - Parameters:
    ///   - name: the file the bytes come from, named in errors.
    ///   - limit: the most bytes to return; the whole stream by default.
    /// - Returns: the whole inflated stream, or its first `limit` bytes when it is longer.
    /// - Throws: `DataError` when the stream is corrupt, or cut off before its end (unless `limit` bytes came first).
    public static func decompress(_ bytes: [UInt8], name: String, limit: Int = .max) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 32: accept both zlib and gzip headers.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(file: name, "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: min(limit, max(1 << 16, bytes.count * 4)))
        var produced = 0
        var status = Z_OK
        var input = bytes
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while status != Z_STREAM_END, produced < limit {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: min(output.count, limit - output.count)))
                }
                status = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    // zlib counts in 32 bits: hand it at most 1 GiB at a time.
                    stream.avail_out = uInt(min(target.count - produced, 1 << 30))
                    let before = stream.avail_out
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced += Int(before - stream.avail_out)
                    return result
                }
                if status == Z_BUF_ERROR, stream.avail_in == 0 {
                    throw DataError(file: name, "the compressed data ends early (truncated gzip file)")
                }
                if status != Z_OK, status != Z_STREAM_END, status != Z_BUF_ERROR {
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw DataError(file: name, "corrupt compressed data (\(reason))")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}
