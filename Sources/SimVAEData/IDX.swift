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
        let (dims, body) = try read(path, magic: imagesMagic, kind: "images", dimensions: 3) { dims in
            "\(dims[0]) images of \(dims[1])×\(dims[2])"
        }
        return (body, dims[0], dims[1], dims[2])
    }

    /// Reads a labels file (`*-labels-idx1-ubyte[.gz]`): one byte per image.
    /// - Throws: `DataError` naming the file on a bad magic number, a truncated or overlong body, or corrupt gzip.
    public static func readLabels(_ path: String) throws -> [UInt8] {
        try read(path, magic: labelsMagic, kind: "labels", dimensions: 1) { "\($0[0]) labels" }.body
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

    /// The dimensions and the body of an IDX file of unsigned bytes, the body checked to be exactly as long as the
    /// dimensions announce. A gzip-compressed file is inflated only as far as that length (and one byte more, to
    /// tell an overlong body), after checking that its compressed size can hold it.
    private static func read(_ path: String, magic: UInt32, kind: String, dimensions: Int,
                             describe: ([Int]) -> String) throws -> (dims: [Int], body: [UInt8]) {
        let file = try FileBytes.read(path)
        let isCompressed = Gzip.isCompressed(file)
        let headerSize = 4 + 4 * dimensions
        let head = isCompressed ? try Gzip.decompress(file, name: path, limit: headerSize) : file
        guard head.count >= headerSize else {
            throw DataError(file: path, "too short for an IDX \(kind) header (\(head.count) of \(headerSize) bytes)")
        }
        let found = bigEndian(head, at: 0)
        guard found == magic else {
            throw DataError(file: path, "bad magic number \(found) (expected \(magic) for IDX \(kind))")
        }
        let dims = (0 ..< dimensions).map { Int(bigEndian(head, at: 4 + 4 * $0)) }
        let (expected, overflow) = dims.reduce((1, false)) { product, dim in
            let (value, overflow) = product.0.multipliedReportingOverflow(by: dim)
            return (value, product.1 || overflow)
        }
        guard !overflow else { throw DataError(file: path, "has an impossible header (\(describe(dims)))") }
        let announced = "the header announces \(describe(dims)) (\(expected) bytes)"
        let holdable = file.count * Gzip.maximumExpansion
        guard !isCompressed || expected <= holdable else {
            throw DataError(file: path, "truncated: \(announced) but its \(file.count) compressed bytes can hold at "
                                + "most \(holdable)")
        }
        let bytes = isCompressed ? try Gzip.decompress(file, name: path, limit: headerSize + expected + 1) : file
        let length = bytes.count - headerSize
        guard length <= expected else {
            throw DataError(file: path, "longer than its header says: \(announced) but more follow it")
        }
        guard length == expected else {
            throw DataError(file: path, "truncated: \(announced) but \(length) bytes follow it")
        }
        return (dims, Array(bytes[headerSize...]))
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
