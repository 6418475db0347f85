import Foundation

/// A temporary folder holding a tiny Fashion-MNIST in the real IDX format (random pixels, 10 classes, `images`
/// in each split). With `readableTestSplit` false, the test split's files exist but are not IDX files, so any
/// attempt to read the test split fails.
public func tinyFashionMNIST(images: Int = 48, readableTestSplit: Bool = true) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-train-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var generator = SystemRandomNumberGenerator()
    func bigEndian(_ values: [UInt32]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } }
    for prefix in ["train", "t10k"] {
        let pixels = (0..<(images * 784)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let labels = (0..<images).map { UInt8($0 % 10) }
        let corrupt = prefix == "t10k" && !readableTestSplit
        try Data(corrupt ? Array("not an IDX file".utf8) : bigEndian([2051, UInt32(images), 28, 28]) + pixels)
            .write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
        try Data(corrupt ? Array("not an IDX file".utf8) : bigEndian([2049, UInt32(images)]) + labels)
            .write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
    }
    return folder
}
