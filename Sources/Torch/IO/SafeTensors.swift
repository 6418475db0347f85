import Foundation

/// Reading and writing the safetensors format (an 8-byte little-endian header length, a JSON header naming
/// each tensor's dtype, shape and byte range, then the raw little-endian data), readable by Python's
/// `safetensors` package and written atomically.
public enum SafeTensors {
    private static let dtypeNames: [DType: String] = [
        .float64: "F64", .float32: "F32", .float16: "F16", .bfloat16: "BF16", .int64: "I64", .int32: "I32",
        .int16: "I16", .int8: "I8", .uint8: "U8", .bool: "BOOL",
    ]

    /// Writes `tensors` (and optional string metadata) to `url` atomically: a temporary file in the same
    /// folder is written, flushed to disk, then renamed over the destination. Throws, writing nothing, for a
    /// tensor named `__metadata__` (the name the format reserves), a type the format lacks, or a failed
    /// `Tensor.checking` scope (whose tensors may be placeholders).
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let names = tensors.keys.sorted()
        guard !names.contains("__metadata__") else {
            throw TorchError("safetensors reserves the name __metadata__ for metadata: no tensor can have it")
        }
        // In a scope of its own, so that a failed copy to the CPU, or an enclosing scope that has failed, throws
        // instead of writing placeholders.
        let contiguous = try Tensor.checking { names.map { tensors[$0]!.detached().to(.cpu).contiguous() } }
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, tensor) in zip(names, contiguous) {
            guard let dtypeName = dtypeNames[tensor.dtype] else {
                throw TorchError("safetensors cannot store tensor '\(name)' of type \(tensor.dtype)")
            }
            let size = tensor.count * tensor.dtype.byteCount
            header[name] = ["dtype": dtypeName, "shape": tensor.shape, "data_offsets": [offset, offset + size]]
            offset += size
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var file = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        for tensor in contiguous where tensor.count > 0 {
            try tensor.withUnsafeMutableBytes { file.append(contentsOf: UnsafeRawBufferPointer($0)) }
        }
        try AtomicFile.write(file, to: url)
    }

    /// Reads every tensor of a safetensors file onto the CPU.
    public static func read(_ url: URL) throws -> [String: Tensor] {
        try readWithMetadata(url).tensors
    }

    /// Reads every tensor and the string metadata of a safetensors file, after checking the whole file against
    /// the format's specification: a header length of at least 2 that fits the file; a header that is one UTF-8
    /// JSON object (padded with whitespace at most) without duplicate keys; `__metadata__`, if present, an object
    /// of strings; every other entry exactly `dtype`, `shape` and `data_offsets`, with a known type, non-negative
    /// sizes and offsets matching the shape; and byte ranges that exactly tile the data section (no overlap, no
    /// gap, nothing after the last). Throws one sentence naming the file and the entry at fault.
    public static func readWithMetadata(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file: Data
        do {
            file = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TorchError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try file.withUnsafeBytes { raw in
            let layout = try Layout(validating: raw, path: url.path)
            // Inside a scope, so that running out of memory for a large file is an error, not a trap.
            let tensors = try Tensor.checking {
                layout.entries.map { entry in
                    let start = layout.dataStart + entry.bytes.lowerBound
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[start..<(start + entry.bytes.count)])
                    return (entry.name, Tensor(copying: bytes, shape: entry.shape, dtype: entry.dtype))
                }
            }
            return (Dictionary(uniqueKeysWithValues: tensors), layout.metadata)
        }
    }

    /// The validated layout of a safetensors file: the metadata and where each tensor's bytes are.
    private struct Layout {
        struct Entry {
            let name: String
            let dtype: DType
            let shape: [Int]
            /// The tensor's bytes in the data section.
            let bytes: Range<Int>
        }

        /// The tensors in the order of their bytes.
        let entries: [Entry]
        let metadata: [String: String]
        /// Where the data section begins in the file.
        let dataStart: Int
        private let path: String

        init(validating file: UnsafeRawBufferPointer, path: String) throws {
            self.path = path
            guard file.count >= 8 else { throw Layout.corrupt(path, "it is only \(file.count) bytes long") }
            let headerLength = UInt64(littleEndian: file.loadUnaligned(as: UInt64.self))
            guard headerLength >= 2 else {
                throw Layout.corrupt(path, "its header length is \(headerLength), below the 2 bytes of an empty header")
            }
            guard headerLength <= UInt64(file.count - 8) else {
                throw Layout.corrupt(path, "the header claims \(headerLength) bytes but the file has \(file.count - 8) "
                    + "after its length")
            }
            dataStart = 8 + Int(headerLength)
            let members: [(key: String, value: JSONValue)]
            do {
                let bytes = file.assumingMemoryBound(to: UInt8.self)
                members = try StrictJSON.object(in: UnsafeBufferPointer(rebasing: bytes[8..<dataStart]))
            } catch {
                throw Layout.corrupt(path, "the header is not a JSON object (\(error.problem) at byte "
                    + "\(8 + error.offset))")
            }
            var metadata: [String: String] = [:], entries: [Entry] = []
            _ = try Layout.unique(members, path) { "the header lists entry '\($0)' twice" }
            for (name, value) in members {
                if name == "__metadata__" {
                    metadata = try Layout.metadata(value, path)
                } else {
                    entries.append(try Layout.entry(name, value, path, dataLength: file.count - dataStart))
                }
            }
            self.metadata = metadata
            self.entries = entries.sorted { a, b in
                (a.bytes.lowerBound, a.bytes.upperBound, a.name) < (b.bytes.lowerBound, b.bytes.upperBound, b.name)
            }
            try checkTiling(dataLength: file.count - dataStart)
        }

        private static func corrupt(_ path: String, _ problem: String) -> TorchError {
            TorchError("\(path) is not a valid safetensors file: \(problem)")
        }

        /// The members of a JSON object by key; throws `duplicate(key)` if a key appears twice.
        private static func unique(_ members: [(key: String, value: JSONValue)], _ path: String,
                                   duplicate: (String) -> String) throws -> [String: JSONValue] {
            var fields: [String: JSONValue] = [:]
            for (key, value) in members where fields.updateValue(value, forKey: key) != nil {
                throw corrupt(path, duplicate(key))
            }
            return fields
        }

        private static func metadata(_ value: JSONValue, _ path: String) throws -> [String: String] {
            guard case .object(let members) = value else { throw corrupt(path, "__metadata__ is not an object") }
            _ = try unique(members, path) { "__metadata__ has the key '\($0)' twice" }
            var metadata: [String: String] = [:]
            for (key, value) in members {
                guard case .string(let text) = value else {
                    throw corrupt(path, "__metadata__ value '\(key)' is not a string")
                }
                metadata[key] = text
            }
            return metadata
        }

        private static func entry(_ name: String, _ value: JSONValue, _ path: String, dataLength: Int) throws -> Entry {
            func corrupt(_ problem: String) -> TorchError { Layout.corrupt(path, "entry '\(name)' \(problem)") }
            guard case .object(let members) = value else { throw corrupt("is not an object") }
            let fields = try unique(members, path) { "entry '\(name)' has the field '\($0)' twice" }
            let known = ["dtype", "shape", "data_offsets"]
            if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
                throw corrupt("has the unknown field '\(unknown)'")
            }
            let missing = known.filter { fields[$0] == nil }
            guard missing.isEmpty else { throw corrupt("lacks \(missing.joined(separator: " and "))") }
            guard case .string(let dtypeName)? = fields["dtype"] else {
                throw corrupt("has a dtype that is not a string")
            }
            guard let dtype = dtypeNames.first(where: { $0.value == dtypeName })?.key else {
                throw corrupt("has unsupported dtype \(dtypeName)")
            }
            guard let shape = integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw corrupt("has a shape that is not a list of non-negative integers")
            }
            guard let offsets = integers(fields["data_offsets"]), offsets.count == 2, 0 <= offsets[0],
                  offsets[0] <= offsets[1]
            else { throw corrupt("has data_offsets that are not two integers [begin, end] with 0 ≤ begin ≤ end") }
            guard let byteCount = byteCount(shape, dtype) else {
                throw corrupt("has shape \(shape), more elements than can be addressed")
            }
            let bytes = offsets[0]..<offsets[1]
            guard bytes.count == byteCount else {
                throw corrupt("of shape \(shape) and type \(dtypeName) needs \(byteCount) bytes, "
                    + "but its data_offsets [\(bytes.lowerBound), \(bytes.upperBound)] span \(bytes.count)")
            }
            guard bytes.upperBound <= dataLength else {
                throw corrupt("spans bytes \(bytes) but the data section has \(dataLength) (truncated file?)")
            }
            return Entry(name: name, dtype: dtype, shape: shape, bytes: bytes)
        }

        /// The elements of a JSON array of integers, or nil for anything else.
        private static func integers(_ value: JSONValue?) -> [Int]? {
            guard case .array(let elements)? = value else { return nil }
            return elements.reduce(into: [Int]?([])) { result, element in
                if case .integer(let integer) = element { result?.append(integer) } else { result = nil }
            }
        }

        /// The bytes of a tensor of `shape` and `dtype`, or nil when its sizes (zeros counted as ones, so that
        /// libtorch's strides cannot overflow either) multiply past `Int.max`.
        private static func byteCount(_ shape: [Int], _ dtype: DType) -> Int? {
            var (bytes, span) = (dtype.byteCount, dtype.byteCount)
            for size in shape {
                let (product, overflow) = span.multipliedReportingOverflow(by: Swift.max(size, 1))
                guard !overflow else { return nil }
                span = product
                bytes *= size  // no larger than span
            }
            return bytes
        }

        /// Checks that the entries, in the order of their bytes, cover the data section exactly: each begins where
        /// the previous one ended (the first at 0) and the last ends at the end of the file.
        private func checkTiling(dataLength: Int) throws {
            var end = 0, previous: Entry?
            for entry in entries {
                if let previous, entry.bytes.lowerBound < end {
                    throw Layout.corrupt(path, "entries '\(previous.name)' and '\(entry.name)' overlap (bytes "
                        + "\(previous.bytes) and \(entry.bytes))")
                }
                if entry.bytes.lowerBound > end {
                    let owner = previous.map { "after entry '\($0.name)' and " } ?? ""
                    throw Layout.corrupt(path, "bytes \(end..<entry.bytes.lowerBound) of the data section, \(owner)"
                        + "before entry '\(entry.name)', belong to no entry")
                }
                (end, previous) = (entry.bytes.upperBound, entry)
            }
            if end < dataLength {
                let owner = previous.map { ", after the last entry '\($0.name)'," } ?? ""
                throw Layout.corrupt(path, "bytes \(end..<dataLength) of the data section\(owner) belong to no entry")
            }
        }
    }
}
