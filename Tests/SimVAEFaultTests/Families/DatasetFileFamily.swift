import Foundation
import SimVAEData

/// (d) CIFAR-10 batches and CelebA files (attributes, partition, images folder) truncated or malformed, checked with
/// `simvae data check` and a few trainings.
enum DatasetFileFamily {
    static let name = "dataset-files"

    struct Mutation: Sendable {
        let description: String
        /// Whether every command must refuse the files (else they may be valid: nothing may crash).
        let reject: Bool
        let names: [String]
        let apply: @Sendable (String) throws -> Void
    }

    static func make(_ index: Int) throws -> FuzzCase {
        var random = CaseRandom(family: name, index: index)
        let celeba = index % 2 == 1
        let mutation = celeba ? try celebAMutation(&random) : try cifarMutation(&random)
        let dataset = celeba ? "celeba" : "cifar10"
        let source = celeba ? try Fixtures.celebA() : try Fixtures.cifar()
        // Mostly `data check`; a few cases train a ResNet on the files (slow, so rarely).
        let trains = index >= 4 && random.int(0 ..< 40) == 0
        // Training reads only the training split, so damage elsewhere may go unread: it must not crash.
        let expectation: Expectation = mutation.reject && !trains ? .mustReject(naming: mutation.names)
            : .mustNotCrash(naming: mutation.names)
        return FuzzCase(family: name, index: index,
                        mutation: "\(trains ? "train" : "data check") \(dataset): \(mutation.description)",
                        expectation: expectation) { folder in
            let data = "\(folder)/data"
            try Files.copyTree(source, to: data)
            try mutation.apply(data)
            if trains {
                return Invocation(arguments: ["train", "--method", "vae", "--dataset", dataset, "--data-dir", data,
                                              "--run", "\(folder)/run", "--epochs", "1", "--batch-size", "4",
                                              "--limit", "4", "--threads", "1"], timeout: TimeLimit.heavy)
            }
            return Invocation(arguments: ["data", "check", "--dataset", dataset, "--data-dir", data])
        }
    }

    // MARK: CIFAR-10

    static func cifarMutation(_ random: inout CaseRandom) throws -> Mutation {
        let files = CIFAR10.fileNames(for: .train) + CIFAR10.fileNames(for: .test)
        let file = random.pick(files)
        let record = CIFAR10.recordSize
        let size = record * Fixtures.cifarRecords
        func rewrite(_ change: @escaping @Sendable ([UInt8]) -> [UInt8]) -> @Sendable (String) throws -> Void {
            { data in
                let path = "\(data)/\(file)"
                try Files.write(change([UInt8](try Files.read(path))), to: path)
            }
        }
        switch random.int(0 ..< 10) {
        case 0, 1:
            let length = random.chance(0.15) ? record * random.int(1 ..< Fixtures.cifarRecords) : random.int(0 ..< size)
            return Mutation(description: "\(file) truncated to \(length) bytes", reject: length % record != 0 || length == 0,
                            names: [file], apply: rewrite { Array($0.prefix(length)) })
        case 2:
            let extra = random.pick([1, 7, record - 1, random.int(2 ... 5000)])
            return Mutation(description: "\(file) with \(extra) bytes appended", reject: true, names: [file],
                            apply: rewrite { $0 + Array(repeating: 9, count: extra) })
        case 3:
            let at = random.int(0 ..< Fixtures.cifarRecords)
            let label = UInt8(random.int(10 ... 255))
            return Mutation(description: "\(file) record \(at) has label \(label)", reject: true, names: [file],
                            apply: rewrite { bytes in
                                var copy = bytes
                                copy[at * record] = label
                                return copy
                            })
        case 4:
            return Mutation(description: "\(file) missing", reject: true, names: [file]) { data in
                try FileManager.default.removeItem(atPath: "\(data)/\(file)")
            }
        case 5:
            return Mutation(description: "\(file) is a folder", reject: true, names: [file]) { data in
                try FileManager.default.removeItem(atPath: "\(data)/\(file)")
                try FileManager.default.createDirectory(atPath: "\(data)/\(file)", withIntermediateDirectories: true)
            }
        case 6:
            let bytes = random.bytes(random.pick([record, 2 * record, random.int(1 ... 9000)]))
            let valid = bytes.count % record == 0
                && stride(from: 0, to: bytes.count, by: record).allSatisfy { bytes[$0] < 10 }
            return Mutation(description: "\(file) replaced by \(bytes.count) random bytes", reject: !valid,
                            names: [file], apply: rewrite { _ in bytes })
        case 7:
            let (text, valid): (String, Bool) = random.pick([
                ("", false), ("airplane\nautomobile\nbird\n", false), ("\n\n\n", false),
                ((0 ..< 12).map { "class\($0)" }.joined(separator: "\n"), true),
            ])
            return Mutation(description: "batches.meta.txt holds \(text.split(separator: "\n").count) names",
                            reject: !valid, names: ["batches.meta.txt", "data_batch", "test_batch"]) { data in
                try Files.write(text, to: "\(data)/batches.meta.txt")
            }
        case 8:
            let bytes = random.bytes(random.int(1 ... 400))
            return Mutation(description: "batches.meta.txt is \(bytes.count) random bytes", reject: false,
                            names: ["batches.meta.txt", "data_batch", "test_batch"]) { data in
                try Files.write(bytes, to: "\(data)/batches.meta.txt")
            }
        default:
            let at = random.int(0 ..< size)
            // Flipping a label byte makes it 33 or more, beyond the 10 classes; a pixel byte is just another pixel.
            return Mutation(description: "\(file) byte \(at) flipped", reject: at % record == 0,
                            names: [file], apply: rewrite { bytes in
                                var copy = bytes
                                copy[at] ^= 0x21
                                return copy
                            })
        }
    }

    // MARK: CelebA

    static func celebAMutation(_ random: inout CaseRandom) throws -> Mutation {
        let attributes = CelebA.attributesFile, partition = CelebA.partitionFile
        let image = random.pick(Fixtures.celebAImages).name
        func edit(_ file: String, _ change: @escaping @Sendable (String) -> String) -> @Sendable (String) throws -> Void {
            { data in
                let path = "\(data)/\(file)"
                try Files.write(change(String(decoding: try Files.read(path), as: UTF8.self)), to: path)
            }
        }
        func lines(_ change: @escaping @Sendable ([String]) -> [String]) -> @Sendable (String) -> String {
            { text in change(text.split(separator: "\n").map(String.init)).joined(separator: "\n") + "\n" }
        }
        switch random.int(0 ..< 16) {
        case 0:
            let count = random.pick(["abc", "13", "0", "-1", "99999999999999999999"])
            return Mutation(description: "\(attributes) announces \(count) images", reject: true, names: [attributes],
                            apply: edit(attributes, lines { [count] + $0.dropFirst() }))
        case 1:
            let row = random.int(2 ..< 14)
            return Mutation(description: "\(attributes) line \(row + 1) lacks a value", reject: true, names: [attributes],
                            apply: edit(attributes, lines { rows in
                                var copy = rows
                                copy[row] = copy[row].split(separator: " ").dropLast().joined(separator: " ")
                                return copy
                            }))
        case 2:
            let row = random.int(2 ..< 14)
            let value = random.pick(["2", "0", "x", "1.0", "--1"])
            return Mutation(description: "\(attributes) line \(row + 1) has the value \(value)", reject: true,
                            names: [attributes], apply: edit(attributes, lines { rows in
                                var copy = rows
                                var fields = copy[row].split(separator: " ").map(String.init)
                                fields[fields.count - 1] = value
                                copy[row] = fields.joined(separator: " ")
                                return copy
                            }))
        case 3:
            return Mutation(description: "\(attributes) without its names line", reject: true, names: [attributes],
                            apply: edit(attributes, lines { [$0[0]] + $0.dropFirst(2) }))
        case 4:
            let (cut, description) = random.pick([(0.0, "empty"), (0.3, "truncated at 30 %"), (0.7, "truncated at 70 %"),
                                                  (0.97, "truncated at 97 %")])
            return Mutation(description: "\(attributes) \(description)", reject: true, names: [attributes],
                            apply: edit(attributes) { String($0.prefix(Int(Double($0.count) * cut))) })
        case 5:
            let bytes = random.bytes(random.int(1 ... 2000))
            return Mutation(description: "\(attributes) is random bytes", reject: true, names: [attributes]) { data in
                try Files.write(bytes, to: "\(data)/\(attributes)")
            }
        case 6:
            let value = random.pick(["3", "-1", "x", "", "1 1"])
            return Mutation(description: "\(partition): \(image) in partition '\(value)'", reject: true,
                            names: [partition], apply: edit(partition, lines { rows in
                                rows.map { $0.hasPrefix(image) ? "\(image) \(value)".trimmingCharacters(in: .whitespaces) : $0 }
                            }))
        case 7:
            return Mutation(description: "\(partition) puts every image in the test split", reject: true,
                            names: [partition], apply: edit(partition, lines { $0.map { "\($0.split(separator: " ")[0]) 2" } }))
        case 8:
            let bytes = random.bytes(random.int(1 ... 500))
            return Mutation(description: "\(partition) is random bytes", reject: true, names: [partition]) { data in
                try Files.write(bytes, to: "\(data)/\(partition)")
            }
        case 9:
            return Mutation(description: "\(image) missing", reject: true, names: [image]) { data in
                try FileManager.default.removeItem(atPath: "\(data)/\(CelebA.imageFolder)/\(image)")
            }
        case 10:
            return Mutation(description: "\(image) truncated", reject: true, names: [image]) { data in
                let path = "\(data)/\(CelebA.imageFolder)/\(image)"
                let bytes = try Files.read(path)
                try Files.write(bytes.prefix(bytes.count / 3), to: path)
            }
        case 11:
            let bytes = random.bytes(random.int(0 ... 600))
            return Mutation(description: "\(image) is \(bytes.count) random bytes", reject: true, names: [image]) { data in
                try Files.write(bytes, to: "\(data)/\(CelebA.imageFolder)/\(image)")
            }
        case 12:
            let png = ImageBytes.pngDeclaring(try Fixtures.png(Fixtures.pattern(width: 8, height: 8)),
                                              width: 100_000, height: 100_000)
            return Mutation(description: "\(image) is a PNG declaring 100000×100000", reject: true, names: [image]) { data in
                try Files.write(png, to: "\(data)/\(CelebA.imageFolder)/\(image)")
            }
        case 13:
            let (width, height) = random.pick([(10, 10), (1, 1), (400, 20), (178, 219)])
            let jpeg = try Fixtures.jpeg(Fixtures.pattern(width: width, height: height))
            return Mutation(description: "\(image) is \(width)×\(height)", reject: false, names: [image]) { data in
                try Files.write(jpeg, to: "\(data)/\(CelebA.imageFolder)/\(image)")
            }
        case 14:
            return Mutation(description: "\(CelebA.imageFolder) missing", reject: true, names: [CelebA.imageFolder]) { data in
                try FileManager.default.removeItem(atPath: "\(data)/\(CelebA.imageFolder)")
            }
        default:
            let bytes = random.bytes(random.int(0 ... 100))
            return Mutation(description: "a damaged decoded-image cache", reject: false, names: ["u8cache"]) { data in
                try Files.write(Array("SIMVAEU8".utf8) + bytes, to: "\(data)/celeba-train-3x64x64.u8cache")
            }
        }
    }
}
