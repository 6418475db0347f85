import Foundation

/// (a) Mutations of a real checkpoint (`checkpoints/last.safetensors` of a tiny run), used with `eval`, `sample`,
/// `reconstruct`, `train --resume` and `train --resume --epochs 2`.
enum CheckpointFamily {
    static let name = "checkpoint"

    /// How strict a mutation's expectation is.
    enum Strictness {
        /// Not a valid safetensors file (the specification's rules): every command must refuse it.
        case invalidFile
        /// A valid file whose model tensors do not match the model: every command must refuse it.
        case modelMismatch
        /// The model is intact but the training state (optimizer, generator, recorded epoch) is not: resuming must
        /// refuse it; the other commands may ignore it.
        case trainingState
        /// Possibly valid data (flipped bits in floats or in the header): nothing may crash or hang.
        case maybeValid
    }

    struct Mutation: Sendable {
        let description: String
        let strictness: Strictness
        let apply: @Sendable (SafeTensorsImage) -> Data
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var images: [Fixtures.Base: SafeTensorsImage] = [:]

    /// The base run's checkpoint, parsed once.
    static func image(_ base: Fixtures.Base) throws -> SafeTensorsImage {
        lock.lock()
        defer { lock.unlock() }
        if let image = images[base] { return image }
        let image = try SafeTensorsImage(parsing: try Files.read(try Fixtures.run(base) + "/checkpoints/last.safetensors"))
        images[base] = image
        return image
    }

    static func make(_ index: Int) throws -> FuzzCase {
        var random = CaseRandom(family: name, index: index)
        let base: Fixtures.Base = index % 6 == 5 ? .moco : .simvae
        let image = try self.image(base)
        var command = random.pick(RunCommand.applicable(to: base).filter { $0 != .report && $0 != .trainDecoder })
        let mutation: Mutation
        if base == .simvae, index < priority.count {
            (mutation, command) = (priority[index](image), priorityCommands[index])
        } else {
            mutation = generate(image, &random)
        }
        let names = ["last.safetensors"]
        let chosen = command
        // eval reuses representations cached for the checkpoint's step: drop the cache in most eval cases, so the
        // checkpoint itself is read (a cache kept beside a damaged checkpoint is a case of its own).
        let dropCache = command == .eval && index % 3 != 0
        let expectation: Expectation = switch mutation.strictness {
        case .invalidFile, .modelMismatch: .mustReject(naming: names)
        case .trainingState: command.isResume ? .mustReject(naming: names) : .mustNotCrash(naming: names)
        case .maybeValid: .mustNotCrash(naming: names)
        }
        return FuzzCase(family: name, index: index, mutation: "\(base.rawValue) checkpoint: \(mutation.description)"
                            + (command == .eval && !dropCache && base == .simvae ? " (representations cache kept)" : ""),
                        expectation: expectation) { folder in
            let (run, protected) = try Fixtures.copy(base, into: folder)
            let checkpoint = "\(run)/checkpoints/last.safetensors"
            try FileManager.default.removeItem(atPath: checkpoint)
            try Files.write(mutation.apply(image), to: checkpoint)
            if dropCache { try? FileManager.default.removeItem(atPath: "\(run)/representations.safetensors") }
            return try chosen.invocation(base, run: run, folder: folder, protected: protected)
        }
    }

    // MARK: The reproductions first

    private static let priority: [@Sendable (SafeTensorsImage) -> Mutation] = [
        { dtype($0, name: "optimizer.state.0.exp_avg", to: "I32") },
        { epoch($0, -1_000_000_000_000_000) },
        { headerLength($0, delta: -1) },
        { duplicate($0, index: 3, otherOffsets: nil) },
        { overlap($0, index: 5, elements: 7) },
        { shift($0, index: 2, by: 4) },
        { truncate($0, at: 8 + $0.headerText().utf8.count + $0.data.count / 2) },
        { truncate($0, at: 8 + $0.headerText().utf8.count + $0.data.count - 1) },
        { trailing($0, count: 13) },
        { gap($0, after: 1, count: 64) },
        { epoch($0, -1_000_000_000_000_000) },
        { dtype($0, name: "encoder.layers.0.weight", to: "I32") },
    ]
    private static let priorityCommands: [RunCommand] = [
        .resumeMore, .resumeMore, .sample, .sample, .eval, .sample, .resume, .resumeMore, .reconstruct, .sample,
        .eval, .sample,
    ]

    // MARK: Mutations

    private static func generate(_ image: SafeTensorsImage, _ random: inout CaseRandom) -> Mutation {
        let count = image.entries.count
        let any = random.int(0 ..< count)
        switch random.int(0 ..< 22) {
        case 0, 1:
            let delta = random.pick([-1, 1, -8, 8, -random.int(2 ... 400), random.int(2 ... 400), 1 << 40,
                                     -(8 + image.headerText().utf8.count)])
            return headerLength(image, delta: delta)
        case 2:
            let other = random.pick(image.entries.indices.filter { image.entries[$0].byteCount == image.entries[any].byteCount })
            return duplicate(image, index: any, otherOffsets: random.chance(0.5) ? other : nil)
        case 3: return overlap(image, index: max(1, any), elements: random.int(1 ... 64))
        case 4: return shift(image, index: any, by: random.pick([1, -1, 4, -4, 8, random.int(9 ... 4096)]))
        case 5: return shiftAll(image, by: random.pick([4, -4, 1, 2048]))
        case 6: return gap(image, after: random.int(0 ..< count - 1), count: random.pick([1, 4, 8, random.int(9 ... 999)]))
        case 7: return trailing(image, count: random.pick([1, 7, 8, random.int(9 ... 100_000)]))
        case 8, 9:
            let headerEnd = 8 + image.headerText().utf8.count
            let total = headerEnd + image.data.count
            let point = random.chance(0.3) ? random.int(0 ..< headerEnd) : random.int(headerEnd ..< total)
            return truncate(image, at: point)
        case 10, 11:
            let dtypeName = random.pick(["I32", "I32", "F16", "F64", "U8", "BOOL", "I64", "BF16", "F8_E4M3", "Q4", "f32", ""])
            return dtype(image, name: image.entries[any].name, to: dtypeName)
        case 12: return reshape(image, index: any, variant: random.int(0 ..< 7))
        case 13, 14:
            let position = random.int(0 ..< image.headerText().utf8.count)
            return flipHeader(image, at: position, bit: random.int(0 ..< 8))
        case 15:
            let value = random.pick([-1_000_000_000_000_000, 1_000_000_000_000_000, -1, 0, 99])
            return value == -1_000_000_000_000_000 || value == -1 ? epoch(image, value)
                : Mutation(description: "recorded epoch \(value)", strictness: .trainingState,
                           apply: { epochApplied($0, value) })
        case 16: return metadata(image, variant: random.int(0 ..< 4))
        case 17:
            let offset = random.int(0 ..< image.data.count)
            let bytes = random.bytes(random.int(1 ... 16))
            return Mutation(description: "\(bytes.count) data bytes at \(offset) overwritten", strictness: .maybeValid) {
                var copy = $0
                for (index, byte) in bytes.enumerated() where offset + index < copy.data.count {
                    copy.data[offset + index] ^= byte | 1
                }
                return copy.serialized()
            }
        case 18: return nanFill(image, index: any)
        case 19: return remove(image, index: any)
        case 20: return offsets(image, index: any, variant: random.int(0 ..< 8))
        default: return whole(image, variant: random.int(0 ..< 9), &random)
        }
    }
}
