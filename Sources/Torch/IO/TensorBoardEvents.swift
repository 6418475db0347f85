import Foundation

/// Writes TensorBoard event files (`events.out.tfevents.*`): TFRecord-framed `Event` protocol buffers holding scalar
/// summaries, the format TensorBoard's scalar dashboard reads. Only what scalars need is encoded by hand, so no
/// protocol-buffer library is involved.
public final class TensorBoardEventWriter {
    /// The file being appended to.
    public let url: URL
    private let handle: FileHandle

    /// Creates `folder` if needed and starts a new event file in it, named as TensorBoard expects
    /// (`events.out.tfevents.<seconds>.<host>.<pid>`, numbered when that name is taken); its first record declares
    /// the file version.
    public init(folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw TorchError("cannot create the TensorBoard folder \(folder.path): \(error.localizedDescription)")
        }
        let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_")
        let name = "events.out.tfevents.\(Int(Date().timeIntervalSince1970)).\(host).\(getpid())"
        // A second writer in the same second and process (a resumed session) gets a numbered name of its own.
        var url = folder.appendingPathComponent(name)
        var number = 0
        while FileManager.default.fileExists(atPath: url.path) {
            number += 1
            url = folder.appendingPathComponent("\(name).\(number)")
        }
        self.url = url
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw TorchError("cannot create \(url.path): check that \(folder.path) is writable")
        }
        self.handle = handle
        var version = Protobuf()
        version.double(field: 1, Date().timeIntervalSince1970)
        version.bytes(field: 3, Data("brain.Event:2".utf8))
        try append(version.data)
    }

    deinit { try? handle.close() }

    /// Appends one event holding `scalars` (tag → value) at `step`; non-finite values are skipped.
    public func write(scalars: [(tag: String, value: Double)], step: Int, wallTime: Date = Date()) throws {
        var summary = Protobuf()
        for (tag, value) in scalars where value.isFinite {
            var entry = Protobuf()
            entry.bytes(field: 1, Data(tag.utf8))
            entry.float(field: 2, Float(value))
            summary.bytes(field: 1, entry.data)
        }
        var event = Protobuf()
        event.double(field: 1, wallTime.timeIntervalSince1970)
        event.varint(field: 2, UInt64(bitPattern: Int64(step)))
        event.bytes(field: 5, summary.data)
        try append(event.data)
    }

    /// One TFRecord: the length, its masked CRC-32C, the data, the data's masked CRC-32C (all little-endian).
    private func append(_ data: Data) throws {
        var record = Data()
        let length = withUnsafeBytes(of: UInt64(data.count).littleEndian) { Data($0) }
        record.append(length)
        withUnsafeBytes(of: CRC32C.masked(length).littleEndian) { record.append(contentsOf: $0) }
        record.append(data)
        withUnsafeBytes(of: CRC32C.masked(data).littleEndian) { record.append(contentsOf: $0) }
        do {
            try handle.write(contentsOf: record)
        } catch {
            throw TorchError("cannot append to \(url.path): \(error.localizedDescription)")
        }
    }
}

/// The few protocol-buffer wire types an `Event` needs.
private struct Protobuf {
    private(set) var data = Data()

    private mutating func rawVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            data.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        data.append(UInt8(rest))
    }

    private mutating func key(_ field: Int, wireType: UInt64) { rawVarint(UInt64(field) << 3 | wireType) }

    mutating func varint(field: Int, _ value: UInt64) {
        key(field, wireType: 0)
        rawVarint(value)
    }

    mutating func double(field: Int, _ value: Double) {
        key(field, wireType: 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func bytes(field: Int, _ value: Data) {
        key(field, wireType: 2)
        rawVarint(UInt64(value.count))
        data.append(value)
    }

    mutating func float(field: Int, _ value: Float) {
        key(field, wireType: 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
    }
}

/// CRC-32C (Castagnoli), as TFRecord frames use it, with TFRecord's masking.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { byte in
        (0..<8).reduce(UInt32(byte)) { crc, _ in crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }

    /// The CRC-32C of `data`.
    static func checksum(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }

    /// The checksum rotated right by 15 bits plus a constant, as TFRecord stores it.
    static func masked(_ data: Data) -> UInt32 {
        let crc = checksum(data)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
