/// Readers for the IDX format of MNIST and Fashion-MNIST (plain or gzip-compressed files).
///
/// Sizes come from the headers, never from assumptions: a file of 4 000 images loads as 4 000.
public enum IDX {
    /// The magic number of an unsigned-byte, 3-dimensional IDX file (images).
    public static let imagesMagic: UInt32 = 2051
    /// The magic number of an unsigned-byte, 1-dimensional IDX file (labels).
    public static let labelsMagic: UInt32 = 2049

    /// Reads an images file (`*-images-idx3-ubyte[.gz]`): N×H×W bytes.
    /// - Throws: `DataError` naming the file on a bad magic number, a truncated or overlong body, or corrupt gzip.
    public static func readImages(_ path: String) throws -> (pixels: [UInt8], count: Int, height: Int, width: Int) {
        let bytes = try FileBytes.readDecompressing(path)
        let dims = try header(bytes, path: path, magic: imagesMagic, kind: "images", dimensions: 3)
        let (count, height, width) = (dims[0], dims[1], dims[2])
        let (area, overflowA) = height.multipliedReportingOverflow(by: width)
        let (total, overflowB) = count.multipliedReportingOverflow(by: area)
        guard !overflowA, !overflowB else {
            throw DataError(file: path, "has an impossible header (\(count) images of \(height)×\(width))")
        }
        let body = try checkedBody(bytes, path: path, headerSize: 16, expected: total,
                                   what: "\(count) images of \(height)×\(width)")
        return (body, count, height, width)
    }

    /// Reads a labels file (`*-labels-idx1-ubyte[.gz]`): one byte per image.
    /// - Throws: `DataError` naming the file on a bad magic number, a truncated or overlong body, or corrupt gzip.
    public static func readLabels(_ path: String) throws -> [UInt8] {
        let bytes = try FileBytes.readDecompressing(path)
        let count = try header(bytes, path: path, magic: labelsMagic, kind: "labels", dimensions: 1)[0]
        return try checkedBody(bytes, path: path, headerSize: 8, expected: count, what: "\(count) labels")
    }

    /// Reads an images file and its labels file into one grey `ImageSet`.
    /// - Throws: `DataError` for either file, when the counts differ, or when a label has no class name.
    public static func loadImageSet(images: String, labels: String, classNames: [String]) throws -> ImageSet {
        let (pixels, count, height, width) = try readImages(images)
        let labelBytes = try readLabels(labels)
        guard labelBytes.count == count else {
            throw DataError("\(images) holds \(count) images but \(labels) holds \(labelBytes.count) labels")
        }
        if let bad = labelBytes.firstIndex(where: { Int($0) >= classNames.count }) {
            throw DataError(file: labels, "label \(labelBytes[bad]) of image \(bad) is not below the "
                                + "\(classNames.count) classes")
        }
        return ImageSet(pixels: pixels, count: count, channels: 1, height: height, width: width,
                        labels: labelBytes.map(Int.init), classNames: classNames)
    }

    private static func header(_ bytes: [UInt8], path: String, magic: UInt32, kind: String,
                               dimensions: Int) throws -> [Int] {
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else {
            throw DataError(file: path, "too short for an IDX \(kind) header (\(bytes.count) of \(headerSize) bytes)")
        }
        let found = bigEndian(bytes, at: 0)
        guard found == magic else {
            throw DataError(file: path, "bad magic number \(found) (expected \(magic) for IDX \(kind))")
        }
        return (0 ..< dimensions).map { Int(bigEndian(bytes, at: 4 + 4 * $0)) }
    }

    private static func checkedBody(_ bytes: [UInt8], path: String, headerSize: Int, expected: Int,
                                    what: String) throws -> [UInt8] {
        let found = bytes.count - headerSize
        guard found == expected else {
            let problem = found < expected ? "truncated" : "longer than its header says"
            throw DataError(file: path, "\(problem): the header announces \(what) (\(expected) bytes) "
                                + "but \(found) bytes follow it")
        }
        return Array(bytes[headerSize...])
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
