import Foundation
import TestSupport
import Testing
@testable import Torch

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
