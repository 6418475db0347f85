import Foundation
import Testing
@testable import Torch

@Test func crc32cMatchesTheStandardCheckValue() {
    // The check value of CRC-32C (RFC 3720, appendix B.4) for the nine ASCII digits.
    #expect(CRC32C.checksum(Data("123456789".utf8)) == 0xE306_9283)
}

@Test func eventFilesAreFramedTFRecordsOfScalarEvents() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID().uuidString)")
    let writer = try TensorBoardEventWriter(folder: folder)
    try writer.write(scalars: [("loss", 2.5), ("skipped", .nan)], step: 300, wallTime: Date(timeIntervalSince1970: 0))
    let file = try Data(contentsOf: writer.url)
    #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents."))

    var records: [Data] = []
    var offset = 0
    while offset < file.count {
        let lengthBytes = file.subdata(in: offset ..< offset + 8)
        let length = lengthBytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        let lengthCRC = file.subdata(in: offset + 8 ..< offset + 12).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        #expect(UInt32(littleEndian: lengthCRC) == CRC32C.masked(lengthBytes))
        let data = file.subdata(in: offset + 12 ..< offset + 12 + length)
        let dataCRC = file.subdata(in: offset + 12 + length ..< offset + 16 + length)
            .withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        #expect(UInt32(littleEndian: dataCRC) == CRC32C.masked(data))
        records.append(data)
        offset += 16 + length
    }
    #expect(records.count == 2)
    #expect(String(decoding: records[0], as: UTF8.self).hasSuffix("brain.Event:2"))
    // wall_time 0.0 (field 1, fixed64), step 300 (field 2, varint 0xAC 0x02), then the summary (field 5) with one
    // value: tag "loss" (field 1) and simple_value 2.5 (field 2, fixed32 0x40200000); the NaN is left out.
    let expected: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0xAC, 0x02, 0x2A, 0x0D, 0x0A, 0x0B,
                             0x0A, 0x04] + Array("loss".utf8) + [0x15, 0x00, 0x00, 0x20, 0x40]
    #expect(Array(records[1]) == expected)
}
