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
    /// folder is written, flushed to disk, then renamed over the destination.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], to url: URL) throws {
        let names = tensors.keys.sorted()
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        var contiguous: [Tensor] = []
        for name in names {
            let tensor = tensors[name]!.detached().to(.cpu).contiguous()
            guard let dtypeName = dtypeNames[tensor.dtype] else {
                throw TorchError("safetensors cannot store tensor '\(name)' of type \(tensor.dtype)")
            }
            let size = tensor.count * tensor.dtype.byteCount
            header[name] = ["dtype": dtypeName, "shape": tensor.shape, "data_offsets": [offset, offset + size]]
            offset += size
            contiguous.append(tensor)
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

    /// Reads every tensor and the string metadata of a safetensors file.
    public static func readWithMetadata(_ url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file: Data
        do {
            file = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TorchError("cannot read \(url.path): \(error.localizedDescription)")
        }
        func corrupt(_ problem: String) -> TorchError {
            TorchError("\(url.path) is not a valid safetensors file: \(problem)")
        }
        guard file.count >= 8 else { throw corrupt("it is only \(file.count) bytes long") }
        let headerLength = file.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(file.count - 8) else {
            throw corrupt("the header claims \(headerLength) bytes but the file has \(file.count - 8) after its length")
        }
        let dataStart = 8 + Int(headerLength)
        guard let header = try? JSONSerialization.jsonObject(with: file.subdata(in: 8..<dataStart)) as? [String: Any]
        else { throw corrupt("the header is not a JSON object") }
        let dataLength = file.count - dataStart
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, entry) in header {
            if name == "__metadata__" {
                metadata = entry as? [String: String] ?? [:]
                continue
            }
            guard let fields = entry as? [String: Any], let dtypeName = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
                  offsets.count == 2
            else { throw corrupt("entry '\(name)' lacks dtype, shape or data_offsets") }
            guard let dtype = dtypeNames.first(where: { $0.value == dtypeName })?.key else {
                throw corrupt("entry '\(name)' has unsupported dtype \(dtypeName)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw corrupt("entry '\(name)' spans bytes \(begin)..<\(end) but the data section has \(dataLength) (truncated file?)")
            }
            let elements = shape.reduce((value: 1, overflow: false)) { partial, size in
                let product = partial.value.multipliedReportingOverflow(by: size)
                return (product.partialValue, partial.overflow || product.overflow)
            }
            guard shape.allSatisfy({ $0 >= 0 }), !elements.overflow,
                  elements.value.multipliedReportingOverflow(by: dtype.byteCount) == (end - begin, false)
            else {
                throw corrupt("entry '\(name)' of shape \(shape) and type \(dtypeName) does not fill its \(end - begin) bytes")
            }
            tensors[name] = file.withUnsafeBytes { raw in
                Tensor(copying: UnsafeRawBufferPointer(rebasing: raw[(dataStart + begin)..<(dataStart + end)]),
                       shape: shape, dtype: dtype)
            }
        }
        return (tensors, metadata)
    }
}

/// Crash-safe file replacement: write a temporary sibling, flush it to disk, rename it over the target,
/// then flush the folder, so a reader sees either the old file or the new one, never a torn mix.
public enum AtomicFile {
    /// Atomically replaces `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        // Unique per call, not just per process: two threads writing the same file must not share a temporary.
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw TorchError("cannot create \(temporary.path): check that \(folder.path) exists and is writable")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw TorchError("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error as? TorchError ?? TorchError("cannot write \(url.path): \(error.localizedDescription)")
        }
        let descriptor = open(folder.path, O_RDONLY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}
