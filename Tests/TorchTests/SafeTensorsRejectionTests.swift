import Foundation
import TestSupport
import Testing
@testable import Torch

/// Malformed safetensors files: every violation of the format is refused with a message naming the file.
extension SafeTensorsTests {
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
    func file(_ json: String, _ data: [UInt8]) -> Data { header(json) + Data(data) }

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
}
