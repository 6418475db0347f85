import Dispatch
import Synchronization

/// Decoding of PNG and JPEG files, one at a time or many in parallel.
public enum ImageFile {
    /// The file extensions recognised as images (lower case).
    public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// The largest width or height accepted, in pixels.
    public static let maximumSide = 16_384
    /// The largest number of pixels accepted (2^26, e.g. 8 192×8 192): at most 256 MiB of RGBA while decoding,
    /// enough for a 48-megapixel photo, while CelebA needs 178×218.
    public static let maximumPixelCount = 1 << 26

    /// Checks the dimensions an image's header declares, before anything of that size is allocated.
    /// - Throws: `DataError` naming the file when a side is 0 or over `maximumSide`, or the area is over
    ///   `maximumPixelCount`.
    static func checkDimensions(width: Int, height: Int, name: String) throws {
        let declared = "declares \(width)×\(height) pixels"
        guard width > 0, height > 0 else { throw DataError(file: name, "\(declared), an empty image") }
        guard width <= maximumSide, height <= maximumSide else {
            throw DataError(file: name, "\(declared), more than the \(maximumSide) px limit on a side")
        }
        guard width * height <= maximumPixelCount else {
            throw DataError(file: name, "\(declared), more than the \(maximumPixelCount)-pixel limit")
        }
    }

    /// Reads and decodes a PNG or JPEG file (recognised by its first bytes, not its name).
    /// - Throws: `DataError` naming the file when it is missing, unreadable, not a PNG or JPEG, larger than
    ///   `maximumSide` or `maximumPixelCount`, truncated or corrupt.
    public static func read(_ path: String, channels: Int = 3) throws -> Bitmap {
        let bytes = try FileBytes.read(path)
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNG.decode(bytes, channels: channels, name: path) }
        if bytes.starts(with: [0xFF, 0xD8]) { return try JPEG.decode(bytes, channels: channels, name: path) }
        throw DataError(file: path, "is neither a PNG nor a JPEG image")
    }

    /// Decodes the files in parallel, each centre-cropped and resized to `height`×`width`
    /// (see `Bitmap.croppedAndResizedPlanar`), and returns them concatenated N×C×H×W.
    /// - Throws: the `DataError` of the first file (in order) that fails.
    public static func decodeAll(_ paths: [String], channels: Int, height: Int, width: Int) throws -> [UInt8] {
        let size = channels * height * width
        var pixels = [UInt8](repeating: 0, count: paths.count * size)
        let firstFailure = Mutex<(index: Int, error: Error)?>(nil)
        let chunk = 64
        pixels.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: (paths.count + chunk - 1) / chunk) { block in
                for index in block * chunk ..< min(paths.count, (block + 1) * chunk) {
                    do {
                        let image = try read(paths[index], channels: channels)
                        let planar = image.croppedAndResizedPlanar(height: height, width: width)
                        for i in 0 ..< size { output[index * size + i] = planar[i] }
                    } catch {
                        firstFailure.withLock { failure in
                            if index < failure?.index ?? .max { failure = (index, error) }
                        }
                        return
                    }
                }
            }
        }
        if let failure = firstFailure.withLock({ $0 }) { throw failure.error }
        return pixels
    }
}
