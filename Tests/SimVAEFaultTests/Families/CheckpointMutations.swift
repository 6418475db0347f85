import Foundation

/// The checkpoint mutations: each makes a `Mutation` of a parsed checkpoint with its description and strictness.
extension CheckpointFamily {
    private static func category(_ name: String) -> Strictness {
        name.hasPrefix("optimizer.") || name.hasPrefix("trainer.") ? .trainingState : .modelMismatch
    }

    static func headerLength(_ image: SafeTensorsImage, delta: Int) -> Mutation {
        Mutation(description: "header length \(delta >= 0 ? "+" : "")\(delta)", strictness: .invalidFile) { image in
            var header = Data(image.headerText().utf8)
            while header.count % 8 != 0 { header.append(0x20) }
            let length = UInt64(truncatingIfNeeded: header.count + delta)
            return image.serialized(header: header, headerLength: length)
        }
    }

    static func duplicate(_ image: SafeTensorsImage, index: Int, otherOffsets: Int?) -> Mutation {
        let name = image.entries[index].name
        let text = otherOffsets.map { " with the byte range of \(image.entries[$0].name)" } ?? ""
        return Mutation(description: "duplicate key \(name)\(text)", strictness: .invalidFile) { image in
            var copy = image
            var twin = copy.entries[index]
            if let otherOffsets { (twin.begin, twin.end) = (image.entries[otherOffsets].begin, image.entries[otherOffsets].end) }
            copy.entries.insert(twin, at: index + 1)
            return copy.serialized()
        }
    }

    static func overlap(_ image: SafeTensorsImage, index: Int, elements: Int) -> Mutation {
        let name = image.entries[index].name
        return Mutation(description: "\(name) starts \(elements) elements early (overlapping its neighbour)",
                        strictness: .invalidFile) { image in
            var copy = image
            let back = min(elements * 4, copy.entries[index].begin)
            copy.entries[index].begin -= max(back, 4)
            copy.entries[index].end -= max(back, 4)
            return copy.serialized()
        }
    }

    static func shift(_ image: SafeTensorsImage, index: Int, by bytes: Int) -> Mutation {
        Mutation(description: "byte range of \(image.entries[index].name) shifted by \(bytes)",
                 strictness: .invalidFile) { image in
            var copy = image
            copy.entries[index].begin += bytes
            copy.entries[index].end += bytes
            return copy.serialized()
        }
    }

    static func shiftAll(_ image: SafeTensorsImage, by bytes: Int) -> Mutation {
        Mutation(description: "every byte range shifted by \(bytes)", strictness: .invalidFile) { image in
            var copy = image
            for index in copy.entries.indices {
                copy.entries[index].begin += bytes
                copy.entries[index].end += bytes
            }
            return copy.serialized()
        }
    }

    static func gap(_ image: SafeTensorsImage, after index: Int, count: Int) -> Mutation {
        Mutation(description: "\(count) uncovered bytes after \(image.entries[index].name)",
                 strictness: .invalidFile) { image in
            var copy = image
            copy.insertGap(after: index, count: count)
            return copy.serialized()
        }
    }

    static func trailing(_ image: SafeTensorsImage, count: Int) -> Mutation {
        Mutation(description: "\(count) trailing bytes", strictness: .invalidFile) { image in
            image.serialized() + Data(repeating: 0x5A, count: count)
        }
    }

    static func truncate(_ image: SafeTensorsImage, at point: Int) -> Mutation {
        let total = 8 + image.headerText().utf8.count + image.data.count
        return Mutation(description: "truncated to \(point) of \(total)+ bytes", strictness: .invalidFile) {
            $0.serialized().prefix(point)
        }
    }

    static func dtype(_ image: SafeTensorsImage, name: String, to dtype: String) -> Mutation {
        let sizes = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1]
        let entry = image.entries.first { $0.name == name }!
        let sameSize = sizes[dtype] != nil && sizes[dtype] == sizes[entry.dtype]
        return Mutation(description: "dtype of \(name) \(entry.dtype) → \(dtype.isEmpty ? "\"\"" : dtype)",
                        strictness: sameSize ? category(name) : .invalidFile) { image in
            var copy = image
            for index in copy.indices(where: { $0 == name }) { copy.entries[index].dtype = dtype }
            return copy.serialized()
        }
    }

    static func reshape(_ image: SafeTensorsImage, index: Int, variant: Int) -> Mutation {
        let entry = image.entries[index]
        let shape = entry.shape
        let elements = shape.reduce(1, *)
        let (text, newShape, raw, valid): (String, [Int], String?, Bool) = switch variant {
        case 0 where shape.count == 2 && shape[0] != shape[1]: ("transposed", [shape[1], shape[0]], nil, true)
        case 1 where shape.count >= 2: ("flattened", [elements], nil, true)
        case 2: ("with a leading 1", [1] + shape, nil, true)
        case 3: ("with one more row", [(shape.first ?? 1) + 1] + shape.dropFirst(), nil, false)
        case 4: ("with a negative size", shape, "[-1" + shape.dropFirst().map { ",\($0)" }.joined() + "]", false)
        case 5: ("with sizes overflowing Int", shape, "[4611686018427387904,4611686018427387904]", false)
        default: ("as a string", shape, "\"\(shape)\"", false)
        }
        return Mutation(description: "shape of \(entry.name) \(shape) \(text)",
                        strictness: valid ? category(entry.name) : .invalidFile) { image in
            var copy = image
            copy.entries[index].shape = newShape
            copy.entries[index].rawShape = raw
            return copy.serialized()
        }
    }

    static func flipHeader(_ image: SafeTensorsImage, at position: Int, bit: Int) -> Mutation {
        let header = Array(image.headerText().utf8)
        let original = Character(UnicodeScalar(header[position]))
        return Mutation(description: "header byte \(position) ('\(original)') bit \(bit) flipped",
                        strictness: .maybeValid) { image in
            var file = image.serialized()
            file[8 + position] ^= UInt8(1 << bit)
            return file
        }
    }

    static func epoch(_ image: SafeTensorsImage, _ value: Int) -> Mutation {
        Mutation(description: "recorded epoch \(value)", strictness: .invalidFile) { epochApplied($0, value) }
    }

    /// The file with `value` as the epoch of both the metadata and its `trainer_state`.
    static func epochApplied(_ image: SafeTensorsImage, _ value: Int) -> Data {
        var copy = image
        copy.metadata["epoch"] = "\(value)"
        if let state = copy.metadata["trainer_state"],
           var object = try? JSONSerialization.jsonObject(with: Data(state.utf8)) as? [String: Any] {
            object["epoch"] = value
            copy.metadata["trainer_state"] = String(decoding: try! JSONSerialization.data(withJSONObject: object),
                                                    as: UTF8.self)
        }
        return copy.serialized()
    }

    static func metadata(_ image: SafeTensorsImage, variant: Int) -> Mutation {
        let (text, strictness, change): (String, Strictness, @Sendable (inout [String: String]) -> Void) = switch variant {
        case 0: ("metadata removed", .maybeValid, { $0 = [:] })
        case 1: ("trainer_state in the metadata is garbage", .maybeValid, { $0["trainer_state"] = "{\"epoch\": [}" })
        case 2: ("recorded step -5", .trainingState, { metadata in
            metadata["step"] = "-5"
            metadata["trainer_state"] = metadata["trainer_state"]?.replacingOccurrences(of: "\"step\" : 8", with: "\"step\" : -5")
        })
        default: ("format tag \"pytorch\"", .maybeValid, { $0["format"] = "pytorch" })
        }
        return Mutation(description: text, strictness: strictness) { image in
            var copy = image
            change(&copy.metadata)
            return copy.serialized()
        }
    }

    static func nanFill(_ image: SafeTensorsImage, index: Int) -> Mutation {
        let entry = image.entries[index]
        return Mutation(description: "\(entry.name) filled with NaN bytes", strictness: .maybeValid) { image in
            var copy = image
            copy.data.replaceSubrange(entry.begin ..< entry.end, with: Data(repeating: 0xFF, count: entry.byteCount))
            return copy.serialized()
        }
    }

    static func remove(_ image: SafeTensorsImage, index: Int) -> Mutation {
        let name = image.entries[index].name
        let strictness: Strictness = name == "trainer.rng_state" ? .maybeValid : category(name)
        return Mutation(description: "tensor \(name) removed (file kept consistent)", strictness: strictness) { image in
            var copy = image
            copy.remove(index)
            return copy.serialized()
        }
    }

    static func offsets(_ image: SafeTensorsImage, index: Int, variant: Int) -> Mutation {
        let entry = image.entries[index]
        let raw = [
            "[-8,\(entry.end - entry.begin - 8)]", "[\(entry.begin).5,\(entry.end)]", "[\"\(entry.begin)\",\"\(entry.end)\"]",
            "[\(entry.end),\(entry.begin)]", "[\(entry.begin)]", "[\(entry.begin),\(entry.end),\(entry.end)]", "null",
            "[\(entry.begin),18446744073709551615]",
        ][variant]
        return Mutation(description: "data_offsets of \(entry.name) = \(raw)", strictness: .invalidFile) { image in
            var copy = image
            copy.entries[index].rawOffsets = raw
            return copy.serialized()
        }
    }

    static func whole(_ image: SafeTensorsImage, variant: Int, _ random: inout CaseRandom) -> Mutation {
        switch variant {
        case 0 ... 4:
            let header = ["[]", "{}", "null", "\"checkpoint\"", "{\"__metadata__\":{\"epoch\":1}}"][variant]
            return Mutation(description: "header replaced by \(header)", strictness: .invalidFile) {
                var bytes = Data(header.utf8)
                while bytes.count % 8 != 0 { bytes.append(0x20) }
                return $0.serialized(header: bytes)
            }
        case 5:
            return Mutation(description: "header not UTF-8", strictness: .invalidFile) {
                $0.serialized(header: Data([0xFF, 0xFE, 0x7B, 0x80, 0xC0, 0x7D, 0x20, 0x20]))
            }
        case 6:
            let size = random.int(0 ... 7)
            return Mutation(description: "a file of \(size) bytes", strictness: .invalidFile) {
                $0.serialized().prefix(size)
            }
        case 7:
            let a = random.int(0 ..< image.entries.count)
            let candidates = image.entries.indices.filter {
                $0 != a && image.entries[$0].byteCount == image.entries[a].byteCount
                    && image.entries[$0].dtype == image.entries[a].dtype && image.entries[$0].shape == image.entries[a].shape
            }
            guard let b = candidates.first else { return nanFill(image, index: a) }
            return Mutation(description: "byte ranges of \(image.entries[a].name) and \(image.entries[b].name) swapped",
                            strictness: .maybeValid) { image in
                var copy = image
                let range = (copy.entries[a].begin, copy.entries[a].end)
                (copy.entries[a].begin, copy.entries[a].end) = (copy.entries[b].begin, copy.entries[b].end)
                (copy.entries[b].begin, copy.entries[b].end) = range
                return copy.serialized()
            }
        default:
            return Mutation(description: "an extra tensor extra.unknown", strictness: .maybeValid) { image in
                var copy = image
                copy.append(name: "extra.unknown", dtype: "F32", shape: [4], bytes: Data(repeating: 0, count: 16))
                return copy.serialized()
            }
        }
    }
}
