import CCodecs
import Foundation

/// Byte surgery on PNG and JPEG files.
enum ImageBytes {
    /// A PNG whose IHDR declares `width`×`height` (its CRC recomputed unless `fixCRC` is false).
    static func pngDeclaring(_ png: [UInt8], width: UInt32, height: UInt32, fixCRC: Bool = true) -> [UInt8] {
        var bytes = png
        for (offset, value) in [(16, width), (20, height)] {
            for index in 0 ..< 4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index)) }
        }
        if fixCRC {
            let crc = bytes[12 ..< 29].withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, 17)) }
            for index in 0 ..< 4 { bytes[29 + index] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * index)) }
        }
        return bytes
    }

    /// A JPEG whose start-of-frame marker declares `width`×`height`.
    static func jpegDeclaring(_ jpeg: [UInt8], width: UInt16, height: UInt16) -> [UInt8] {
        var bytes = jpeg
        guard let marker = (0 ..< bytes.count - 9).first(where: {
            bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2)
        }) else { return bytes }
        bytes[marker + 5] = UInt8(height >> 8)
        bytes[marker + 6] = UInt8(height & 0xFF)
        bytes[marker + 7] = UInt8(width >> 8)
        bytes[marker + 8] = UInt8(width & 0xFF)
        return bytes
    }
}

/// (c) Image folders `root/<class>/*.png|jpg`: images with patched huge dimensions, truncated, random bytes,
/// flipped bytes, empty class folders, too few images; checked with `simvae data check --dataset folder` and a few
/// trainings.
enum ImageFamily {
    static let name = "image-folder"

    struct Mutation: Sendable {
        let description: String
        /// nil: possibly valid (must not crash).
        let rejectNaming: [String]?
        var names: [String] = []
        /// Changes the copied folder (the argument is its root).
        let apply: @Sendable (String) throws -> Void
    }

    static func make(_ index: Int) throws -> FuzzCase {
        var random = CaseRandom(family: name, index: index)
        let source = try Fixtures.imageFolder()
        let classes = ["cat", "dog", "fox"]
        let target = "\(random.pick(classes))/\(random.int(0 ..< 4))"
        let file = target + (target.last!.wholeNumberValue! % 2 == 0 ? ".png" : ".jpg")
        let png = try Fixtures.png(Fixtures.pattern(width: 16, height: 16, seed: index))
        let jpeg = try Fixtures.jpeg(Fixtures.pattern(width: 16, height: 16, seed: index))
        let original = [UInt8](try Files.read("\(source)/\(file)"))
        let priority = [0, 1, 4, 6, 12]
        let kind = index < priority.count ? priority[index] : random.int(0 ..< 16)
        @Sendable func replace(_ bytes: [UInt8], as name: String = file) -> @Sendable (String) throws -> Void {
            { root in
                try? FileManager.default.removeItem(atPath: "\(root)/\(file)")
                try Files.write(bytes, to: "\(root)/\(name)")
            }
        }
        let mutation: Mutation
        switch kind {
        case 0:
            mutation = Mutation(description: "\(file) replaced by a \(png.count)-byte PNG declaring 100000×100000",
                                rejectNaming: [target], apply: replace(ImageBytes.pngDeclaring(png, width: 100_000, height: 100_000), as: target + ".png"))
        case 1:
            mutation = Mutation(description: "\(file) replaced by a JPEG patched to 20000×20000", rejectNaming: [target],
                                apply: replace(ImageBytes.jpegDeclaring(jpeg, width: 20000, height: 20000), as: target + ".jpg"))
        case 2:
            let (width, height) = random.pick([(UInt32(0), UInt32(16)), (16, 0), (0x7FFF_FFFF, 1), (1, 0x7FFF_FFFF),
                                               (65535, 65535), (0xFFFF_FFFF, 0xFFFF_FFFF)])
            let fix = random.chance(0.7)
            mutation = Mutation(description: "\(file) replaced by a PNG declaring \(width)×\(height)\(fix ? "" : " (bad CRC)")",
                                rejectNaming: [target], apply: replace(ImageBytes.pngDeclaring(png, width: width, height: height, fixCRC: fix), as: target + ".png"))
        case 3:
            let (width, height) = random.pick([(UInt16(65535), UInt16(65535)), (0, 16), (16, 0), (1, 60000)])
            mutation = Mutation(description: "\(file) replaced by a JPEG declaring \(width)×\(height)",
                                rejectNaming: [target], apply: replace(ImageBytes.jpegDeclaring(jpeg, width: width, height: height), as: target + ".jpg"))
        case 4, 5:
            let point = random.int(0 ..< original.count)
            mutation = Mutation(description: "\(file) truncated to \(point) of \(original.count) bytes",
                                rejectNaming: [file], apply: replace(Array(original.prefix(point))))
        case 6:
            mutation = Mutation(description: "\(file) replaced by 300 random bytes", rejectNaming: [file],
                                apply: replace(random.bytes(300)))
        case 7:
            let magic: [UInt8] = file.hasSuffix(".png") ? [0x89, 0x50, 0x4E, 0x47] : [0xFF, 0xD8]
            mutation = Mutation(description: "\(file) is its magic number then random bytes", rejectNaming: [file],
                                apply: replace(magic + random.bytes(random.int(0 ... 200))))
        case 8:
            mutation = Mutation(description: "\(file) is empty", rejectNaming: [file], apply: replace([]))
        case 9:
            let position = random.int(0 ..< original.count)
            mutation = Mutation(description: "\(file) byte \(position) flipped", rejectNaming: nil, names: [file]) { root in
                var bytes = original
                bytes[position] ^= 0x5A
                try replace(bytes)(root)
            }
        case 10:
            mutation = Mutation(description: "an empty class folder added", rejectNaming: nil) { root in
                try FileManager.default.createDirectory(atPath: "\(root)/empty", withIntermediateDirectories: true)
            }
        case 11:
            mutation = Mutation(description: "every class folder emptied", rejectNaming: ["root"]) { root in
                for name in classes {
                    try FileManager.default.removeItem(atPath: "\(root)/\(name)")
                    try FileManager.default.createDirectory(atPath: "\(root)/\(name)", withIntermediateDirectories: true)
                }
            }
        case 12:
            let keep = random.int(1 ... 7)
            mutation = Mutation(description: "only \(keep) images in all", rejectNaming: nil) { root in
                var kept = 0
                for name in classes {
                    for image in try FileManager.default.contentsOfDirectory(atPath: "\(root)/\(name)").sorted() {
                        if kept >= keep { try FileManager.default.removeItem(atPath: "\(root)/\(name)/\(image)") }
                        kept += 1
                    }
                }
            }
        case 13:
            let noise = random.bytes(64)
            mutation = Mutation(description: "non-image and hidden files beside the images", rejectNaming: nil) { root in
                try Files.write("not an image", to: "\(root)/cat/notes.txt")
                try Files.write(noise, to: "\(root)/dog/.hidden.png")
                try Files.write(noise, to: "\(root)/README")
            }
        case 14:
            mutation = Mutation(description: "\(file) holds the other format", rejectNaming: nil, names: [file],
                                apply: replace(file.hasSuffix(".png") ? jpeg : png))
        default:
            mutation = Mutation(description: "\(file) is a 1×1 image", rejectNaming: nil, names: [file],
                                apply: replace(try Fixtures.png(Fixtures.pattern(width: 1, height: 1)), as: target + ".png"))
        }
        // Mostly `data check`; some cases train on the folder (a 64×64 VAE: a large checkpoint, so rarely).
        let trains = index == 4 || (index >= priority.count && random.int(0 ..< 25) == 0)
        // Training reads only the training split, so a damaged held-out image may go unread: it must not crash.
        let expectation: Expectation = mutation.rejectNaming.map { trains ? .mustNotCrash(naming: $0) : .mustReject(naming: $0) }
            ?? .mustNotCrash(naming: mutation.names.isEmpty ? ["root"] : mutation.names)
        let command = trains ? "train --method vae" : "data check"
        return FuzzCase(family: name, index: index, mutation: "\(command): \(mutation.description)",
                        expectation: expectation) { folder in
            let root = "\(folder)/root"
            try Files.copyTree(source, to: root)
            try mutation.apply(root)
            if trains {
                return Invocation(arguments: ["train", "--method", "vae", "--dataset", "folder", "--data-dir", root,
                                              "--run", "\(folder)/run", "--epochs", "1", "--batch-size", "4",
                                              "--threads", "1"], timeout: TimeLimit.heavy)
            }
            return Invocation(arguments: ["data", "check", "--dataset", "folder", "--data-dir", root])
        }
    }
}
