import CCodecs

/// JPEG decoding through libjpeg-turbo's TurboJPEG API.
public enum JPEG {
    /// Decodes JPEG bytes to a grey (`channels` 1) or RGB (`channels` 3) bitmap.
    ///
    /// The dimensions are checked against `ImageFile.maximumSide` and `ImageFile.maximumPixelCount` before the
    /// pixels are allocated, and any libjpeg warning (such as "Premature end of JPEG file" for a truncated file)
    /// is an error: a partly decoded image is never returned.
    /// - Parameter name: the file the bytes come from, named in errors.
    /// - Throws: `DataError` when the bytes are not a decodable JPEG, declare too many pixels, or are truncated or
    ///   corrupt.
    public static func decode(_ bytes: [UInt8], channels: Int = 3, name: String) throws -> Bitmap {
        precondition(channels == 1 || channels == 3, "JPEG decodes to 1 or 3 channels")
        guard let handle = tjInitDecompress() else {
            throw DataError(file: name, "libjpeg-turbo could not start a decoder")
        }
        defer { tjDestroy(handle) }
        var reason: String { String(cString: tjGetErrorStr2(handle)) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        guard tjDecompressHeader3(handle, bytes, UInt(bytes.count), &width, &height, &subsampling,
                                  &colorspace) == 0 else {
            throw DataError(file: name, "is not a decodable JPEG (\(reason))")
        }
        // libjpeg reads a header cut short as an image of no size.
        guard width > 0, height > 0 else {
            throw DataError(file: name, "is truncated or corrupt: it ends before its frame header")
        }
        try ImageFile.checkDimensions(width: Int(width), height: Int(height), name: name)
        var pixels = [UInt8](repeating: 0, count: Int(width) * Int(height) * channels)
        let format = Int32(channels == 1 ? TJPF_GRAY.rawValue : TJPF_RGB.rawValue)
        let status = pixels.withUnsafeMutableBufferPointer { target in
            tjDecompress2(handle, bytes, UInt(bytes.count), target.baseAddress, width, 0, height, format,
                          TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING)
        }
        guard status == 0 else { throw DataError(file: name, "is truncated or corrupt (JPEG: \(reason))") }
        return Bitmap(pixels: pixels, width: Int(width), height: Int(height), channels: channels)
    }
}
