import Foundation

/// NumPy's `.npy` format (version 1.0): a magic string, a header giving the element type, the order and the shape,
/// then the elements in row-major order, so `numpy.load` reads a tensor back.
public enum NumPyFile {
    private static let typeCodes: [DType: String] = [
        .float64: "<f8", .float32: "<f4", .float16: "<f2", .int64: "<i8", .int32: "<i4", .uint8: "|u1", .bool: "|b1",
    ]

    /// The `.npy` bytes of `tensor` (copied to the CPU first).
    /// - Throws: a sentence when the tensor's element type has no NumPy equivalent (bfloat16).
    public static func data(of tensor: Tensor) throws -> Data {
        guard let code = typeCodes[tensor.dtype] else {
            throw TorchError("a .npy file cannot hold elements of type \(tensor.dtype)")
        }
        let contiguous = try Tensor.checking { tensor.detached().to(.cpu).contiguous() }
        let shape = contiguous.shape.map(String.init).joined(separator: ", ") + (contiguous.rank == 1 ? "," : "")
        var header = "{'descr': '\(code)', 'fortran_order': False, 'shape': (\(shape)), }"
        // The magic (6 bytes), the version (2) and the header length (2) precede the header, which ends in a
        // newline and is padded with spaces so that the data starts at a multiple of 64 bytes.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var file = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: Array(header.utf8))
        if contiguous.count > 0 {
            try contiguous.withUnsafeMutableBytes { file.append(contentsOf: UnsafeRawBufferPointer($0)) }
        }
        return file
    }

    /// Writes `tensor` to `url` as a `.npy` file, atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try AtomicFile.write(data(of: tensor), to: url)
    }
}
