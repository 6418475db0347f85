import Foundation
import TestSupport
import Testing
@testable import Torch

/// A fresh path in the temporary folder, removed by the caller.
func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("torchtests-\(UUID().uuidString)-\(name)")
}

/// One tensor of every storable type, with values each type holds exactly.
private func everyDType() -> [String: Tensor] {
    let halves = Tensor([0.5, -2, 3.25, 1024] as [Float], shape: [2, 2])
    return [
        "f32": Tensor([1.5, -2.25, 1e-20] as [Float]),
        "f64": Tensor([1.5, -2.25, 1e-300, 3e300] as [Double], shape: [2, 2]),
        "i64": Tensor([Int64.min, -1, 0, Int64.max] as [Int64]),
        "i32": Tensor([Int32.min, 7] as [Int32]),
        "i16": Tensor([Int16.min, 7, Int16.max] as [Int16], shape: [1, 3]),
        "i8": Tensor([-128, 0, 127] as [Int8]),
        "u8": Tensor([0, 1, 255] as [UInt8], shape: [3, 1]),
        "bool": Tensor([true, false, true]),
        "f16": halves.to(.float16),
        "bf16": halves.to(.bfloat16),
        "scalar": Tensor(scalar: 42.0),
        "empty": Tensor(zeros: [0, 3]),
    ]
}

@Suite(.serialized, .drawsFromTheRandomGenerator) struct SafeTensorsTests {
    @Test(.drawsFromTheRandomGenerator) func everyTypeRoundTripsWithMetadata() throws {
        let url = temporaryFile("all.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors = everyDType()
        let metadata = ["format": "pt", "note": "ünïcode / \"quoted\""]
        try SafeTensors.write(tensors, metadata: metadata, to: url)
        let (loaded, loadedMetadata) = try SafeTensors.readWithMetadata(url)
        #expect(loadedMetadata == metadata)
        #expect(Set(loaded.keys) == Set(tensors.keys))
        for (name, original) in tensors {
            let copy = try #require(loaded[name])
            #expect(copy.dtype == original.dtype, "\(name)")
            #expect(copy.shape == original.shape, "\(name)")
            #expect(copy.doubles == original.doubles, "\(name)")
        }
        // Integers beyond 2^53 survive exactly (compared natively, not through Double).
        #expect(loaded["i64"]!.scalars(as: Int64.self) == [Int64.min, -1, 0, Int64.max])
        // The header length is a multiple of 8 and the data section is exactly the tensors' bytes.
        let data = try Data(contentsOf: url)
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        let payload = tensors.values.reduce(0) { $0 + $1.count * $1.dtype.byteCount }
        #expect(data.count == 8 + headerLength + payload)
    }

    @Test(.drawsFromTheRandomGenerator) func writesNonContiguousAndGradientTensors() throws {
        let url = temporaryFile("views.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let m = t([1, 2, 3, 4, 5, 6], [2, 3])
        try SafeTensors.write(["t": m.T, "p": m.clone().requiringGrad()], to: url)
        let loaded = try SafeTensors.read(url)
        expectClose(loaded["t"]!, [1, 4, 2, 5, 3, 6], shape: [3, 2])
        #expect(!loaded["p"]!.requiresGrad)
        // Overwriting replaces the file atomically and leaves no temporary behind.
        try SafeTensors.write(["t": m], to: url)
        #expect(try SafeTensors.read(url).keys.sorted() == ["t"])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(".\(url.lastPathComponent)") })
    }

    /// Expects reading `bytes` as a safetensors file to fail with a message naming the file and `detail`.
    private func expectRejected(_ bytes: Data, mentioning detail: String,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = temporaryFile("bad.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try bytes.write(to: url)
        let error = #expect(throws: TorchError.self, sourceLocation: sourceLocation) { try SafeTensors.read(url) }
        let message = error?.message ?? ""
        #expect(message.contains(url.path) && message.contains(detail), "\(message)", sourceLocation: sourceLocation)
    }

    private func header(_ json: String) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        return data + Data(json.utf8)
    }

    @Test(.drawsFromTheRandomGenerator) func truncatedFileIsRejected() throws {
        let url = temporaryFile("whole.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try SafeTensors.write(["w": Tensor(ones: [4, 4])], to: url)
        let whole = try Data(contentsOf: url)
        try expectRejected(whole.prefix(whole.count - 5), mentioning: "truncated")
        try expectRejected(whole.prefix(20), mentioning: "header claims")
        try expectRejected(whole.prefix(3), mentioning: "only 3 bytes")
    }

    @Test(.drawsFromTheRandomGenerator) func garbageHeadersAreRejected() throws {
        try expectRejected(header("this is not json"), mentioning: "not a JSON object")
        try expectRejected(header("[1, 2]"), mentioning: "not a JSON object")
        try expectRejected(header(#"{"w": {"dtype": "F32"}}"#), mentioning: "'w' lacks")
        try expectRejected(header(#"{"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}"#) + Data(count: 8),
                           mentioning: "unsupported dtype C64")
        try expectRejected(header(#"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#) + Data(count: 8),
                           mentioning: "entry 'w' of shape [3] and type F32 needs 12 bytes")
        try expectRejected(Data(repeating: 0xFF, count: 64), mentioning: "header claims")
    }

    /// A file of `json` as its header (not padded) and `data` as its data section.
    private func file(_ json: String, _ data: [UInt8]) -> Data { header(json) + Data(data) }

    /// A header of U8 entries, each a 1-D tensor filling its byte range, listed in the given order.
    private func u8Entries(_ ranges: KeyValuePairs<String, Range<Int>>) -> String {
        let entries = ranges.map { name, range in
            #""\#(name)": {"dtype": "U8", "shape": [\#(range.count)], "#
                + #""data_offsets": [\#(range.lowerBound), \#(range.upperBound)]}"#
        }
        return "{" + entries.joined(separator: ", ") + "}"
    }

    @Test(.drawsFromTheRandomGenerator) func aHeaderLengthOffByOneIsRejected() throws {
        let json = u8Entries(["a": 0..<4])
        func withLength(_ length: Int, padding: Int, data: [UInt8]) -> Data {
            var bytes = Data()
            withUnsafeBytes(of: UInt64(length).littleEndian) { bytes.append(contentsOf: $0) }
            return bytes + Data((json + String(repeating: " ", count: padding)).utf8) + Data(data)
        }
        let size = json.utf8.count
        try expectRejected(withLength(size - 1, padding: 0, data: [1, 2, 3, 4]), mentioning: "not a JSON object")
        try expectRejected(withLength(size + 1, padding: 0, data: [1, 2, 3, 4]), mentioning: "not a JSON object")
        // With padding the header still parses, but the data section gains or loses a byte.
        try expectRejected(withLength(size + 3, padding: 4, data: [1, 2, 3, 4]),
                           mentioning: "bytes 4..<5 of the data section, after the last entry 'a', belong to no entry")
        try expectRejected(withLength(size + 1, padding: 0, data: [0x20, 2, 3, 4]),
                           mentioning: "entry 'a' spans bytes 0..<4 but the data section has 3")
        try expectRejected(withLength(1, padding: 0, data: []), mentioning: "header length is 1, below the 2 bytes")
        try expectRejected(withLength(0, padding: 0, data: []), mentioning: "header length is 0")
    }

    @Test(.drawsFromTheRandomGenerator) func duplicateKeysAreRejected() throws {
        try expectRejected(file(u8Entries(["a": 0..<4, "b": 4..<6, "a": 6..<8]), Array(repeating: 0, count: 8)),
                           mentioning: "the header lists entry 'a' twice")
        try expectRejected(file(#"{"a": {"dtype": "U8", "dtype": "I8", "shape": [1], "data_offsets": [0, 1]}}"#, [0]),
                           mentioning: "entry 'a' has the field 'dtype' twice")
        try expectRejected(file(#"{"__metadata__": {"k": "1", "k": "2"}}"#, []),
                           mentioning: "__metadata__ has the key 'k' twice")
        // Keys are compared after decoding their escapes.
        try expectRejected(file(#"{"__metadata__": {"k": "1"}, "\u005f_metadata__": {}}"#, []),
                           mentioning: "the header lists entry '__metadata__' twice")
    }

    @Test(.drawsFromTheRandomGenerator) func rangesMustTileTheDataSection() throws {
        let eight = [UInt8](repeating: 7, count: 8)
        try expectRejected(file(u8Entries(["a": 0..<4, "b": 2..<6, "c": 6..<8]), eight),
                           mentioning: "entries 'a' and 'b' overlap (bytes 0..<4 and 2..<6)")
        try expectRejected(file(u8Entries(["b": 0..<4, "a": 5..<8]), eight),
                           mentioning: "bytes 4..<5 of the data section, after entry 'b' and before entry 'a', "
                               + "belong to no entry")
        try expectRejected(file(u8Entries(["a": 1..<8]), eight),
                           mentioning: "bytes 0..<1 of the data section, before entry 'a', belong to no entry")
        try expectRejected(file(u8Entries(["a": 0..<4, "b": 4..<7]), eight),
                           mentioning: "bytes 7..<8 of the data section, after the last entry 'b', belong to no entry")
        try expectRejected(file(u8Entries(["a": 0..<4, "b": 4..<9]), eight),
                           mentioning: "entry 'b' spans bytes 4..<9 but the data section has 8")
        try expectRejected(file("{}", [0]), mentioning: "bytes 0..<1 of the data section belong to no entry")
        // A zero-sized entry inside another's bytes overlaps it.
        try expectRejected(file(u8Entries(["a": 0..<8, "z": 4..<4]), eight), mentioning: "entries 'a' and 'z' overlap")
    }

    @Test(.drawsFromTheRandomGenerator) func entryFieldsAreChecked() throws {
        func entry(_ fields: String, data: Int = 0) -> Data {
            file(#"{"w": {\#(fields)}}"#, Array(repeating: 0, count: data))
        }
        let notAShape = "entry 'w' has a shape that is not a list of non-negative integers"
        try expectRejected(entry(#""dtype": "U8", "shape": [-1], "data_offsets": [0, 0]"#), mentioning: notAShape)
        try expectRejected(entry(#""dtype": "U8", "shape": [2.0], "data_offsets": [0, 2]"#, data: 2),
                           mentioning: notAShape)
        try expectRejected(entry(#""dtype": "U8", "shape": [99999999999999999999], "data_offsets": [0, 0]"#),
                           mentioning: notAShape)
        try expectRejected(entry(#""dtype": "F32", "shape": [0, 4294967296, 4294967296], "data_offsets": [0, 0]"#),
                           mentioning: "entry 'w' has shape [0, 4294967296, 4294967296], more elements than can be "
                               + "addressed")
        try expectRejected(entry(#""dtype": "F33", "shape": [1], "data_offsets": [0, 4]"#, data: 4),
                           mentioning: "entry 'w' has unsupported dtype F33")
        try expectRejected(entry(#""dtype": 6, "shape": [1], "data_offsets": [0, 4]"#, data: 4),
                           mentioning: "entry 'w' has a dtype that is not a string")
        for offsets in ["[1, 0]", "[0, 1, 2]", "[-1, 0]", "\"0\""] {
            try expectRejected(entry(#""dtype": "U8", "shape": [1], "data_offsets": \#(offsets)"#, data: 1),
                               mentioning: "entry 'w' has data_offsets that are not two integers")
        }
        try expectRejected(entry(#""dtype": "U8", "shape": [1], "data_offsets": [0, 1], "extra": 0"#, data: 1),
                           mentioning: "entry 'w' has the unknown field 'extra'")
        try expectRejected(file(#"{"w": [1]}"#, []), mentioning: "entry 'w' is not an object")
    }

    @Test(.drawsFromTheRandomGenerator) func metadataMustBeStrings() throws {
        try expectRejected(file(#"{"__metadata__": {"epoch": 3}}"#, []),
                           mentioning: "__metadata__ value 'epoch' is not a string")
        try expectRejected(file(#"{"__metadata__": "v1"}"#, []), mentioning: "__metadata__ is not an object")
    }

    @Test(.drawsFromTheRandomGenerator) func theHeaderMustBeStrictJSON() throws {
        try expectRejected(file(" {}", []), mentioning: "does not begin with '{'")
        try expectRejected(file(#"{"a": 1,}"#, []), mentioning: "not a JSON object")
        try expectRejected(file("{\"a\u{1}\": 1}", []), mentioning: "control character")
        let invalidUTF8: [UInt8] = [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]  // {"\xFF": 1}
        try expectRejected(Data([7, 0, 0, 0, 0, 0, 0, 0] + invalidUTF8), mentioning: "not valid UTF-8")
        try expectRejected(file(#"{"\ud800": 1}"#, []), mentioning: "lone surrogate")
        try expectRejected(file(#"{"a": 01}"#, []), mentioning: "not a JSON object")
        // Deep nesting is refused without recursing as deep as the file asks.
        let deep = #"{"a": "# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        try expectRejected(file(deep, []), mentioning: "nest deeper than 32 levels")
    }

    @Test(.drawsFromTheRandomGenerator) func escapedNamesAndZeroSizedTensorsReadBack() throws {
        // A hand-written header with escapes, padded with spaces, and zero-sized entries at shared offsets.
        let json = #"{"\u00fc\ud83d\ude00": {"dtype": "U8", "shape": [2], "data_offsets": [0, 2]}, "#
            + #""e\/\"": {"dtype": "F32", "shape": [0, 3], "data_offsets": [2, 2]}, "#
            + #""z": {"dtype": "I64", "shape": [0], "data_offsets": [2, 2]}, "#
            + #""t": {"dtype": "U8", "shape": [], "data_offsets": [2, 3]}, "__metadata__": {"k": "v"}}    "#
        let url = temporaryFile("escapes.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        try file(json, [5, 6, 9]).write(to: url)
        let (tensors, metadata) = try SafeTensors.readWithMetadata(url)
        #expect(metadata == ["k": "v"])
        #expect(Set(tensors.keys) == ["ü😀", "e/\"", "z", "t"])
        #expect(tensors["ü😀"]?.scalars(as: UInt8.self) == [5, 6])
        #expect(tensors["e/\""]?.shape == [0, 3] && tensors["z"]?.shape == [0] && tensors["t"]?.shape == [])
        #expect(tensors["t"]?.scalars(as: UInt8.self) == [9])
        // What `write` makes of zero-sized tensors, odd names and no tensors at all reads back too.
        let written: [String: Tensor] = ["a": Tensor(zeros: [0]), "b/\"c": Tensor(ones: [2, 0]),
                                         "c": Tensor(ones: [2]), "d": Tensor(zeros: [0], dtype: .int64)]
        try SafeTensors.write(written, metadata: ["note": "ü"], to: url)
        let (loaded, loadedMetadata) = try SafeTensors.readWithMetadata(url)
        #expect(loadedMetadata == ["note": "ü"])
        #expect(Set(loaded.keys) == Set(written.keys))
        for (name, tensor) in written {
            #expect(loaded[name]?.shape == tensor.shape && loaded[name]?.dtype == tensor.dtype, "\(name)")
            #expect(loaded[name]?.doubles == tensor.doubles, "\(name)")
        }
        try SafeTensors.write([:], to: url)
        #expect(try SafeTensors.readWithMetadata(url).tensors.isEmpty)
    }

    @Test(.drawsFromTheRandomGenerator) func writingRefusesTheReservedNameAndAFailedScope() throws {
        let url = temporaryFile("refused.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let reserved = #expect(throws: TorchError.self) {
            try SafeTensors.write(["__metadata__": Tensor(ones: [1])], to: url)
        }
        #expect(reserved?.message.contains("reserves the name __metadata__") == true)
        // In a failed scope the tensors to write may be placeholders: nothing is written.
        let weight = Tensor(ones: [2, 2])
        let failure = #expect(throws: TorchError.self) {
            try Tensor.checking {
                _ = Tensor(zeros: [2, 3]).matmul(Tensor(zeros: [2, 3]))
                try SafeTensors.write(["w": weight.T], to: url)
            }
        }
        #expect(failure?.message.contains("mat1 and mat2") == true)
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test(.drawsFromTheRandomGenerator) func concurrentWritesToOnePathLeaveOneWholeFile() throws {
        let url = temporaryFile("shared.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let failures = NSLock()
        nonisolated(unsafe) var messages: [String] = []
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            do {
                try SafeTensors.write(["w": Tensor(full: [64, 64], value: Double(writer))], to: url)
            } catch {
                failures.lock()
                messages.append("\(error)")
                failures.unlock()
            }
        }
        #expect(messages.isEmpty, "\(messages)")
        let values = try #require(SafeTensors.read(url)["w"]).doubles
        #expect(values.count == 64 * 64 && Set(values).count == 1)
    }

    @Test(.drawsFromTheRandomGenerator) func missingFileAndFolderAreReported() {
        let url = temporaryFile("absent.safetensors")
        let error = #expect(throws: TorchError.self) { try SafeTensors.read(url) }
        #expect(error?.message.contains(url.path) == true)
        let nowhere = url.appendingPathComponent("sub/x.safetensors")
        let writeError = #expect(throws: TorchError.self) { try SafeTensors.write(["a": Tensor(ones: [1])], to: nowhere) }
        #expect(writeError?.message.contains(nowhere.deletingLastPathComponent().path) == true)
    }
}

/// Python 3 with `safetensors` and `numpy`, when this machine has one.
enum Python {
    static let executable: String? = {
        let candidates = ["/usr/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map { "\($0)/python3" }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if (try? run(candidate, "import safetensors.numpy, numpy")) != nil { return candidate }
        }
        print("note: Python interop tests skipped: no python3 with the safetensors and numpy packages "
            + "(pip install safetensors numpy)")
        return nil
    }()

    /// Runs `script` and returns its standard output; throws with its standard error on failure.
    @discardableResult
    static func run(_ executable: String, _ script: String, arguments: [String] = []) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-c", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TorchError("python failed: \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: outputData, as: UTF8.self)
    }
}

@Suite(.serialized, .drawsFromTheRandomGenerator, .enabled(if: Python.executable != nil, "needs python3 with safetensors and numpy"))
struct SafeTensorsPythonTests {
    // numpy has no bfloat16, so Python's numpy loader cannot take that entry.
    let names = ["f32", "f64", "i64", "i32", "i16", "i8", "u8", "bool", "f16", "scalar", "empty"]

    @Test(.drawsFromTheRandomGenerator) func pythonReadsWhatSwiftWrites() throws {
        let url = temporaryFile("to-python.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors = everyDType().filter { names.contains($0.key) }
        try SafeTensors.write(tensors, metadata: ["origin": "swift"], to: url)
        let script = """
            import json, sys
            from safetensors import safe_open
            from safetensors.numpy import load_file
            loaded = load_file(sys.argv[1])
            with safe_open(sys.argv[1], framework="np") as f:
                metadata = f.metadata()
            print(json.dumps({"metadata": metadata, "tensors": {k: {"dtype": str(v.dtype), "shape": list(v.shape),
                  "values": [float(x) for x in v.reshape(-1).tolist()]} for k, v in loaded.items()}}))
            """
        let output = try Python.run(Python.executable!, script, arguments: [url.path])
        let json = try #require(JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        #expect(json["metadata"] as? [String: String] == ["origin": "swift"])
        let loaded = try #require(json["tensors"] as? [String: [String: Any]])
        #expect(Set(loaded.keys) == Set(tensors.keys))
        let numpyNames: [DType: String] = [.float32: "float32", .float64: "float64", .int64: "int64",
                                           .int32: "int32", .int16: "int16", .int8: "int8", .uint8: "uint8",
                                           .bool: "bool", .float16: "float16"]
        for (name, tensor) in tensors {
            let entry = try #require(loaded[name])
            #expect(entry["dtype"] as? String == numpyNames[tensor.dtype], "\(name)")
            #expect(entry["shape"] as? [Int] == tensor.shape, "\(name)")
            if tensor.dtype != .int64 {  // int64 extremes do not survive JSON doubles; checked below
                #expect(entry["values"] as? [Double] == tensor.doubles, "\(name)")
            }
        }
        #expect((loaded["i64"]?["values"] as? [Double])?[1...2] == [-1, 0])
    }

    @Test(.drawsFromTheRandomGenerator) func swiftReadsWhatPythonWrites() throws {
        let url = temporaryFile("from-python.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let script = """
            import sys, numpy as np
            from safetensors.numpy import save_file
            save_file({"encoder.0.weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
                       "bn.num_batches_tracked": np.array(9, dtype=np.int64),
                       "mask": np.array([True, False]), "half": np.array([0.5, -8], dtype=np.float16),
                       "big": np.array([2**62 + 1], dtype=np.int64)},
                      sys.argv[1], metadata={"origin": "python"})
            """
        try Python.run(Python.executable!, script, arguments: [url.path])
        let (tensors, metadata) = try SafeTensors.readWithMetadata(url)
        #expect(metadata == ["origin": "python"])
        let weight = try #require(tensors["encoder.0.weight"])
        #expect(weight.dtype == .float32)
        expectClose(weight, [0, 0.25, 0.5, 0.75, 1, 1.25], shape: [2, 3])
        #expect(tensors["bn.num_batches_tracked"]?.shape == [])
        #expect(tensors["bn.num_batches_tracked"]?.scalars(as: Int64.self) == [9])
        #expect(tensors["mask"]?.scalars(as: Bool.self) == [true, false])
        #expect(tensors["half"]?.dtype == .float16)
        expectClose(tensors["half"]!, [0.5, -8])
        #expect(tensors["big"]?.scalars(as: Int64.self) == [(1 << 62) + 1])
    }
}
