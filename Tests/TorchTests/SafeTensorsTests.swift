import Foundation
import TestSupport
import Testing
@testable import Torch

/// A fresh path in the temporary folder, removed by the caller.
func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("torchtests-\(UUID().uuidString)-\(name)")
}

/// One tensor of every storable type, with values each type holds exactly.
func everyDType() -> [String: Tensor] {
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
