import CCodecs

/// Gzip and zlib streams through the system zlib.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number (0x1f 0x8b).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates a gzip or zlib stream (the header is detected automatically).
    /// - Parameter name: the file the bytes come from, named in errors.
    /// - Throws: `DataError` when the stream is corrupt or truncated.
    public static func decompress(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 32: accept both zlib and gzip headers.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(file: name, "zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(1 << 16, bytes.count * 4))
        var produced = 0
        var status = Z_OK
        var input = bytes
        try input.withUnsafeMutableBufferPointer { source in
            stream.next_in = source.baseAddress
            stream.avail_in = uInt(source.count)
            while status != Z_STREAM_END {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
                status = output.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress! + produced
                    stream.avail_out = uInt(target.count - produced)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced = target.count - Int(stream.avail_out)
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
