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

    /// The attribute file, the partition file and the image folder, relative to the dataset folder.
    public static let attributesFile = "list_attr_celeba.txt"
    public static let partitionFile = "list_eval_partition.txt"
    public static let imageFolder = "img_align_celeba"

    /// Loads a split: RGB images with label 0 (class "face") and the 40 ±1 attributes.
    /// - Throws: `DataError` naming the file and line of a malformed attribute or partition line, an image listed
    ///   but missing, or the first undecodable image.
    public static func load(directory: String, split: DataSplit, size: Int = 64,
                            cache: Cache = .besideData) throws -> ImageSet {
        let folder = directory as NSString
        let (names, attributes) = try readAttributes(folder.appendingPathComponent(attributesFile))
        let partition = try readPartition(folder.appendingPathComponent(partitionFile))
        let wanted = ["train": 0, "valid": 1, "test": 2][split.rawValue]
        let files = attributes.keys.filter { partition[$0] == wanted }.sorted()
        guard !files.isEmpty else {
            throw DataError(file: folder.appendingPathComponent(partitionFile), "lists no image of the \(split) split")
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
                        attributes: ImageAttributes(names: names, values: files.flatMap { attributes[$0] ?? [] }))
    }

    /// Parses `list_attr_celeba.txt`: the image count, the attribute names, then `file v1 … vK` with each v ±1.
    static func readAttributes(_ path: String) throws -> (names: [String], rows: [String: [Int8]]) {
        let lines = try numberedLines(path)
        guard lines.count >= 2, let count = Int(lines[0].fields.first ?? "") else {
            throw DataError(file: path, "line 1 should hold the image count")
        }
        let names = lines[1].fields
        var rows: [String: [Int8]] = [:]
        for (number, fields) in lines.dropFirst(2) {
            let values = fields.dropFirst().compactMap { Int8($0) }.filter { $0 == 1 || $0 == -1 }
            guard fields.count == names.count + 1, values.count == names.count else {
                throw DataError(file: path, "line \(number): expected a file name and \(names.count) values of 1 or -1")
            }
            rows[fields[0]] = values
        }
        guard rows.count == count else {
            throw DataError(file: path, "line 1 announces \(count) images but \(rows.count) are listed")
        }
        return (names, rows)
    }

    /// Parses `list_eval_partition.txt`: `file 0|1|2` (train, valid, test).
    static func readPartition(_ path: String) throws -> [String: Int] {
        var partition: [String: Int] = [:]
        for (number, fields) in try numberedLines(path) {
            guard fields.count == 2, let part = Int(fields[1]), (0 ... 2).contains(part) else {
                throw DataError(file: path, "line \(number): expected a file name and 0, 1 or 2")
            }
            partition[fields[0]] = part
        }
        return partition
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
