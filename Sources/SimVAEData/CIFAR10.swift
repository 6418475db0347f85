import Foundation

/// Reader for the CIFAR-10 binary version (`cifar-10-batches-bin/`): records of one label byte followed by a
/// 32×32 RGB image stored channel-first (1 024 red, 1 024 green, 1 024 blue bytes) — already N×C×H×W.
public enum CIFAR10 {
    /// The standard class names, used when `batches.meta.txt` is absent.
    public static let standardClassNames = [
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
    ]
    /// Bytes per record: one label byte and 3×32×32 pixel bytes.
    public static let recordSize = 1 + 3 * 32 * 32

    /// The batch files of a split: `data_batch_1.bin` … `data_batch_5.bin` or `test_batch.bin`.
    public static func fileNames(for split: DataSplit) -> [String] {
        split == .test ? ["test_batch.bin"] : (1 ... 5).map { "data_batch_\($0).bin" }
    }

    /// Loads a split from the batches folder (the one holding `data_batch_1.bin`).
    /// - Throws: `DataError` for the validation split (CIFAR-10 has none), a missing file, a file whose length is
    ///   not a whole number of records, a label outside 0 … 9, or a `batches.meta.txt` not listing 10 names.
    public static func load(directory: String, split: DataSplit) throws -> ImageSet {
        guard split != .valid else { throw DataError.noValidationSplit("CIFAR-10") }
        let classNames = try readClassNames(directory: directory)
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for name in fileNames(for: split) {
            let path = (directory as NSString).appendingPathComponent(name)
            let bytes = try FileBytes.read(path)
            guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
                throw DataError(file: path, "length \(bytes.count) bytes is not a whole number of "
                                    + "\(recordSize)-byte CIFAR-10 records (truncated or not a CIFAR-10 batch)")
            }
            pixels.reserveCapacity(pixels.count + bytes.count)
            for start in stride(from: 0, to: bytes.count, by: recordSize) {
                let label = Int(bytes[start])
                guard label < classNames.count else {
                    throw DataError(file: path, "record \(start / recordSize) has label \(label), not below the "
                                        + "\(classNames.count) classes")
                }
                labels.append(label)
                pixels.append(contentsOf: bytes[start + 1 ..< start + recordSize])
            }
        }
        return ImageSet(pixels: pixels, count: labels.count, channels: 3, height: 32, width: 32,
                        labels: labels, classNames: classNames)
    }

    /// The class names from `batches.meta.txt` (one per line, exactly 10) when present, else `standardClassNames`.
    static func readClassNames(directory: String) throws -> [String] {
        let path = (directory as NSString).appendingPathComponent("batches.meta.txt")
        guard FileManager.default.fileExists(atPath: path) else { return standardClassNames }
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard names.count == standardClassNames.count else {
            throw DataError(file: path, "lists \(names.count) class names, not CIFAR-10's \(standardClassNames.count)")
        }
        return names
    }
}
