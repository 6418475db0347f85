import Foundation
import Testing
import Torch

/// The header text of a `.npy` file and the bytes after it.
private func parts(of file: Data) -> (header: String, body: Data) {
    let length = Int(file[8]) | Int(file[9]) << 8
    return (String(decoding: file[10 ..< 10 + length], as: UTF8.self), file.subdata(in: 10 + length ..< file.count))
}

@Test func numPyFilesFollowTheVersionOneLayout() throws {
    let values: [Float] = [1, -2, 3.5, 4, 5, 6]
    let file = try NumPyFile.data(of: Tensor(values, shape: [2, 3]))
    #expect(file.prefix(8) == Data([0x93] + Array("NUMPY".utf8) + [1, 0]))
    let (header, body) = parts(of: file)
    #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
    #expect(header.hasSuffix("\n") && (10 + header.utf8.count) % 64 == 0)
    #expect(body == values.withUnsafeBufferPointer { Data(buffer: $0) })
}

@Test func numPyFilesWriteOneDimensionalShapesAndIntegers() throws {
    let (header, body) = parts(of: try NumPyFile.data(of: Tensor([Int64(7), 8, 9])))
    #expect(header.hasPrefix("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }"))
    #expect(body.count == 3 * 8 && body.first == 7)
    #expect(throws: TorchError.self) { try NumPyFile.data(of: Tensor([Float(1)]).to(.bfloat16)) }
}
