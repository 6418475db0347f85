import Foundation

/// A safetensors file taken apart for mutation: the header's entries and metadata, and the data section.
/// Serialising writes the header by hand, so a mutation can produce what no JSON encoder would (duplicate keys,
/// offsets of the wrong type).
struct SafeTensorsImage: Sendable {
    struct Entry: Sendable {
        var name: String
        var dtype: String
        var shape: [Int]
        var begin: Int
        var end: Int
        /// Raw JSON replacing the `data_offsets` value, for malformed offsets.
        var rawOffsets: String?
        /// Raw JSON replacing the `shape` value.
        var rawShape: String?

        var byteCount: Int { end - begin }
    }

    var metadata: [String: String]
    var entries: [Entry]
    var data: Data

    init(parsing file: Data) throws {
        guard file.count >= 8 else { throw HarnessError("a checkpoint of \(file.count) bytes") }
        let length = file.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard let header = try JSONSerialization.jsonObject(with: file.subdata(in: 8 ..< 8 + length))
            as? [String: Any] else { throw HarnessError("the checkpoint's header is not an object") }
        metadata = header["__metadata__"] as? [String: String] ?? [:]
        entries = try header.filter { $0.key != "__metadata__" }.map { name, value in
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int]
            else { throw HarnessError("the checkpoint's entry \(name) is malformed") }
            return Entry(name: name, dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
        }.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }
        data = file.subdata(in: 8 + length ..< file.count)
    }

    /// The header as JSON text, entries in their order (metadata first).
    func headerText() -> String {
        func string(_ text: String) -> String {
            String(decoding: try! JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed]),
                   as: UTF8.self)
        }
        var parts: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\(string($0.key)):\(string($0.value))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        for entry in entries {
            let shape = entry.rawShape ?? "[\(entry.shape.map(String.init).joined(separator: ","))]"
            let offsets = entry.rawOffsets ?? "[\(entry.begin),\(entry.end)]"
            parts.append("\(string(entry.name)):{\"dtype\":\(string(entry.dtype)),\"shape\":\(shape),"
                + "\"data_offsets\":\(offsets)}")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The file: the header padded with spaces to a multiple of 8, its length (or `headerLength` when given),
    /// then the data section.
    func serialized(header: Data? = nil, headerLength: UInt64? = nil) -> Data {
        var headerBytes = header ?? Data(headerText().utf8)
        if header == nil { while headerBytes.count % 8 != 0 { headerBytes.append(0x20) } }
        var file = Data(capacity: 8 + headerBytes.count + data.count)
        withUnsafeBytes(of: (headerLength ?? UInt64(headerBytes.count)).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        file.append(data)
        return file
    }

    /// Indices of entries whose names satisfy `predicate`.
    func indices(where predicate: (String) -> Bool) -> [Int] {
        entries.indices.filter { predicate(entries[$0].name) }
    }

    /// Removes entry `index` and its bytes, moving the later entries down, so the file stays consistent.
    mutating func remove(_ index: Int) {
        let removed = entries.remove(at: index)
        data.removeSubrange(removed.begin ..< removed.end)
        for other in entries.indices where entries[other].begin >= removed.end {
            entries[other].begin -= removed.byteCount
            entries[other].end -= removed.byteCount
        }
    }

    /// Inserts `count` bytes after entry `index`, moving the later entries up, so that nothing covers them.
    mutating func insertGap(after index: Int, count: Int) {
        let at = entries[index].end
        data.insert(contentsOf: Data(repeating: 0xA5, count: count), at: at)
        for other in entries.indices where entries[other].begin >= at && other != index {
            entries[other].begin += count
            entries[other].end += count
        }
    }

    /// Appends a consistent entry with `bytes`.
    mutating func append(name: String, dtype: String, shape: [Int], bytes: Data) {
        entries.append(Entry(name: name, dtype: dtype, shape: shape, begin: data.count, end: data.count + bytes.count))
        data.append(bytes)
    }
}
