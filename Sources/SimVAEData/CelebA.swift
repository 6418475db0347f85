import Foundation

/// Reader for aligned CelebA: `img_align_celeba/*.jpg` (178×218), `list_attr_celeba.txt` and
/// `list_eval_partition.txt`.
///
/// Images are centre-cropped to the 178×178 square (rows 20 … 197) and area-resized to `size`×`size` (64 by
/// default). Decoding 200 000 JPEGs takes minutes, so the decoded split is cached in one binary file
/// (`celeba-<split>-3x<size>x<size>.u8cache`) and reused while the split's file list is unchanged.
public enum CelebA {
    /// Where the decoded-image cache lives.
    public enum Cache: Sendable, Equatable {
        /// In the dataset folder itself (the default); skipped silently when that folder is read-only.
        case besideData
        /// In the given folder.
        case directory(String)
        /// No cache: decode every time.
        case disabled
    }

    /// The attribute file (40 ±1 attributes for each image), relative to the dataset folder.
    public static let attributesFile = "list_attr_celeba.txt"
    /// The partition file (0 train, 1 validation, 2 test for each image), relative to the dataset folder.
    public static let partitionFile = "list_eval_partition.txt"
    /// The folder of aligned images, relative to the dataset folder.
    public static let imageFolder = "img_align_celeba"

    /// Loads a split: RGB images with label 0 (class "face") and the 40 ±1 attributes.
    /// - Throws: `DataError` naming the file and line of a malformed attribute or partition line, a file listed
    ///   twice or in only one of the two files, an image listed but missing, or the first undecodable image.
    public static func load(directory: String, split: DataSplit, size: Int = 64,
                            cache: Cache = .besideData) throws -> ImageSet {
        let folder = directory as NSString
        let attributesPath = folder.appendingPathComponent(attributesFile)
        let partitionPath = folder.appendingPathComponent(partitionFile)
        let (names, attributes) = try readAttributes(attributesPath)
        let partition = try readPartition(partitionPath)
        try checkListed(partition, of: partitionPath, in: attributes, attributesFile)
        try checkListed(attributes, of: attributesPath, in: partition, partitionFile)
        let wanted = ["train": 0, "valid": 1, "test": 2][split.rawValue]
        let files = partition.filter { $0.value.value == wanted }.keys.sorted()
        guard !files.isEmpty else {
            throw DataError(file: partitionPath, "lists no image of the \(split) split")
        }
        let cacheName = "celeba-\(split)-3x\(size)x\(size).u8cache"
        let cachePath: String? = switch cache {
        case .besideData: folder.appendingPathComponent(cacheName)
        case .directory(let path): (path as NSString).appendingPathComponent(cacheName)
        case .disabled: nil
        }
        let fingerprint = ImageCache.fingerprint(of: files)
        let pixels: [UInt8]
        if let cachePath, let cached = ImageCache.read(cachePath, count: files.count, channels: 3, height: size,
                                                        width: size, fingerprint: fingerprint) {
            pixels = cached
        } else {
            let paths = files.map { folder.appendingPathComponent(imageFolder + "/" + $0) }
            pixels = try ImageFile.decodeAll(paths, channels: 3, height: size, width: size)
            if let cachePath {
                ImageCache.write(pixels, to: cachePath, count: files.count, channels: 3, height: size, width: size,
                                 fingerprint: fingerprint)
            }
        }
        return ImageSet(pixels: pixels, count: files.count, channels: 3, height: size, width: size,
                        labels: Array(repeating: 0, count: files.count), classNames: ["face"],
                        // Every partitioned file has attributes (checked above).
                        attributes: ImageAttributes(names: names, values: files.flatMap { attributes[$0]!.value }))
    }

    /// Lines keyed by their file name, each with its line number and its parsed values.
    typealias Listing<Value> = [String: (line: Int, value: Value)]

    /// Parses `list_attr_celeba.txt`: the image count, the attribute names, then `file v1 … vK` with each v ±1.
    static func readAttributes(_ path: String) throws -> (names: [String], rows: Listing<[Int8]>) {
        let lines = try numberedLines(path)
        guard lines.count >= 2, let count = Int(lines[0].fields.first ?? "") else {
            throw DataError(file: path, "line 1 should hold the image count")
        }
        let names = lines[1].fields
        let rows = try listing(lines.dropFirst(2), of: path, expected: "\(names.count) values of 1 or -1") { fields in
            let values = fields.compactMap { Int8($0) }.filter { $0 == 1 || $0 == -1 }
            return fields.count == names.count && values.count == names.count ? values : nil
        }
        guard rows.count == count else {
            throw DataError(file: path, "line 1 announces \(count) images but \(rows.count) are listed")
        }
        return (names, rows)
    }

    /// Parses `list_eval_partition.txt`: `file 0|1|2` (train, valid, test).
    static func readPartition(_ path: String) throws -> Listing<Int> {
        try listing(numberedLines(path)[...], of: path, expected: "0, 1 or 2") { fields in
            guard fields.count == 1, let part = Int(fields[0]), (0 ... 2).contains(part) else { return nil }
            return part
        }
    }

    /// Lines `file v1 … vK` keyed by file, the values parsed by `parse` (`nil` when malformed).
    /// - Throws: `DataError` naming the file and line of malformed values (saying the `expected` ones) or of a
    ///   file listed a second time.
    private static func listing<Value>(_ lines: ArraySlice<(number: Int, fields: [String])>, of path: String,
                                       expected: String, parse: ([String]) -> Value?) throws -> Listing<Value> {
        var rows: Listing<Value> = [:]
        for (number, fields) in lines {
            guard let value = parse(Array(fields.dropFirst())) else {
                throw DataError(file: path, "line \(number): expected a file name and \(expected)")
            }
            if let first = rows[fields[0]] {
                throw DataError(file: path, "line \(number): \(fields[0]) is listed twice (also line \(first.line))")
            }
            rows[fields[0]] = (number, value)
        }
        return rows
    }

    /// Checks that every file of `rows` (read from `path`) is also in `other` (read from the file `otherName`).
    /// - Throws: `DataError` naming `path` and the first line whose file `other` lacks.
    private static func checkListed<Value, Other>(_ rows: Listing<Value>, of path: String, in other: Listing<Other>,
                                                  _ otherName: String) throws {
        let unmatched = rows.filter { other[$0.key] == nil }.min { $0.value.line < $1.value.line }
        if let (file, row) = unmatched {
            throw DataError(file: path, "line \(row.line): \(file) is not listed in \(otherName)")
        }
    }

    /// The non-blank lines of a text file with their 1-based numbers, split on whitespace.
    private static func numberedLines(_ path: String) throws -> [(number: Int, fields: [String])] {
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            return fields.isEmpty ? nil : (index + 1, fields)
        }
    }
}
