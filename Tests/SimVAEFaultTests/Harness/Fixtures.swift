import CCodecs
import Foundation
import SimVAEData

/// Inputs the cases start from, built once per test process: a tiny IDX dataset (8×8 pixels, so a checkpoint
/// is ~33 MB rather than ~70 MB), base runs trained and evaluated by the binary itself, and valid PNG, JPEG,
/// CIFAR-10 and CelebA files for the mutations to start from.
enum Fixtures {
    // Recursive: a fixture may build the fixtures it needs (a run needs the dataset).
    private static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var built: [String: String] = [:]

    /// Builds `name` once (under a lock, so concurrent cases wait for the first builder).
    private static func once(_ name: String, _ make: (String) throws -> Void) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let path = built[name] { return path }
        let path = try Workspace.folder("fixtures/\(name)")
        try make(path)
        built[name] = path
        return path
    }

    // MARK: IDX data

    static let imageSide = 8
    static let imageCount = 64

    /// A Fashion-MNIST folder in the real IDX format: 64 training and 64 test images of 8×8 pixels, 10 classes.
    static func idx() throws -> String {
        try once("idx") { folder in
            for prefix in ["train", "t10k"] {
                let pixels = (0 ..< imageCount * imageSide * imageSide).map { UInt8(truncatingIfNeeded: ($0 * 37) >> 2) }
                try Files.write(bigEndian([2051, imageCount, imageSide, imageSide]) + pixels,
                                to: "\(folder)/\(prefix)-images-idx3-ubyte")
                try Files.write(bigEndian([2049, imageCount]) + (0 ..< imageCount).map { UInt8($0 % 10) },
                                to: "\(folder)/\(prefix)-labels-idx1-ubyte")
            }
        }
    }

    static func bigEndian(_ values: [Int]) -> [UInt8] {
        values.flatMap { value in (0 ..< 4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    }

    // MARK: Runs

    /// The runs cases copy: a generative one (evaluated, so it has eval.json) and a discriminative one.
    enum Base: String, CaseIterable, Sendable {
        case simvae, moco

        /// Method-specific options (kept small: a short queue and a narrow head for MoCo).
        var extraOptions: [String] {
            switch self {
            case .simvae: []
            case .moco: ["--queue-size", "32", "--projection", "32,16"]
            }
        }
    }

    /// `simvae train` options of a tiny run: 64 images, 2 views, 8 steps an epoch, one thread.
    static func trainArguments(_ base: Base, run: String, epochs: Int = 1, seed: Int? = nil) throws -> [String] {
        var arguments = ["train", "--method", base.rawValue, "--dataset", "fashion-mnist", "--data-dir", try idx(),
                         "--run", run, "--limit", "64", "--views", "2", "--batch-size", "16",
                         "--epochs", "\(epochs)", "--threads", "1"] + base.extraOptions
        if let seed { arguments += ["--seed", "\(seed)"] }
        return arguments
    }

    /// A finished one-epoch run of `base` (the simvae one evaluated with the kNN probe).
    static func run(_ base: Base) throws -> String {
        let binary = try ReleaseBinary.require()
        return try once("run-\(base.rawValue)") { folder in
            let run = "\(folder)/run"
            let trained = try ChildProcess.run(binary, try trainArguments(base, run: run), in: folder,
                                               timeout: TimeLimit.training)
            guard trained.termination == .exited(0) else {
                throw HarnessError("the base \(base.rawValue) run did not train (\(trained.termination)): "
                    + trained.stderrTail())
            }
            if base == .simvae {
                let evaluated = try ChildProcess.run(binary, ["eval", "--run", run, "--probes", "knn", "--limit", "64",
                                                              "--threads", "1"], in: folder, timeout: TimeLimit.quick)
                guard evaluated.termination == .exited(0) else {
                    throw HarnessError("the base run did not evaluate (\(evaluated.termination)): "
                        + evaluated.stderrTail())
                }
            }
        } + "/run"
    }

    /// A copy of a base run at `<folder>/run` (the checkpoint hard-linked), and the paths a failed command must
    /// leave untouched.
    static func copy(_ base: Base, into folder: String) throws -> (run: String, protected: [String]) {
        let run = "\(folder)/run"
        try Files.copyTree(try self.run(base), to: run)
        return (run, runFiles(run))
    }

    /// The files of a run folder that no failed command may change.
    static func runFiles(_ run: String) -> [String] {
        ["checkpoints/last.safetensors", "config.json", "trainer.json", "metrics.jsonl", "eval.json"]
            .map { "\(run)/\($0)" }
    }

    // MARK: Images

    /// A smooth RGB pattern, different for each `seed`.
    static func pattern(width: Int, height: Int, seed: Int = 0) -> Bitmap {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0 ..< height {
            for x in 0 ..< width {
                pixels += [UInt8(truncatingIfNeeded: x * 255 / max(width - 1, 1) + seed * 31),
                           UInt8(truncatingIfNeeded: y * 255 / max(height - 1, 1) + seed * 17),
                           UInt8(truncatingIfNeeded: (x + y + seed) * 7)]
            }
        }
        return Bitmap(pixels: pixels, width: width, height: height, channels: 3)
    }

    /// The bytes of a PNG of `bitmap` (written by the data module's libpng writer).
    static func png(_ bitmap: Bitmap) throws -> [UInt8] {
        let path = try Workspace.folder("png-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNG.write(bitmap, to: "\(path)/image.png")
        return [UInt8](try Files.read("\(path)/image.png"))
    }

    /// The bytes of a baseline JPEG of an RGB `bitmap` (TurboJPEG into a buffer sized by `tjBufSize`).
    static func jpeg(_ bitmap: Bitmap) throws -> [UInt8] {
        guard let compressor = tjInitCompress() else { throw HarnessError("TurboJPEG cannot start") }
        defer { tjDestroy(compressor) }
        let capacity = tjBufSize(Int32(bitmap.width), Int32(bitmap.height), Int32(TJSAMP_420.rawValue))
        var output: [UInt8] = Array(repeating: 0, count: Int(capacity))
        var length = capacity
        let failed = output.withUnsafeMutableBufferPointer { buffer in
            var target: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return bitmap.pixels.withUnsafeBufferPointer { source in
                tjCompress2(compressor, source.baseAddress, Int32(bitmap.width), 0, Int32(bitmap.height),
                            Int32(TJPF_RGB.rawValue), &target, &length, Int32(TJSAMP_420.rawValue), 90,
                            TJFLAG_NOREALLOC) != 0
            }
        }
        if failed { throw HarnessError("TurboJPEG cannot encode a \(bitmap.width)×\(bitmap.height) image") }
        return Array(output.prefix(Int(length)))
    }

    // MARK: CIFAR-10 and CelebA

    static let cifarRecords = 20

    /// A CIFAR-10 batches folder: five training batches and a test batch of 20 records each, with
    /// `batches.meta.txt`.
    static func cifar() throws -> String {
        try once("cifar") { folder in
            for (index, name) in (CIFAR10.fileNames(for: .train) + CIFAR10.fileNames(for: .test)).enumerated() {
                var bytes: [UInt8] = []
                for record in 0 ..< cifarRecords {
                    bytes.append(UInt8(record % 10))
                    bytes += (0 ..< 3072).map { UInt8(truncatingIfNeeded: $0 &* (record + 3) &+ index) }
                }
                try Files.write(bytes, to: "\(folder)/\(name)")
            }
            try Files.write(CIFAR10.standardClassNames.joined(separator: "\n") + "\n",
                            to: "\(folder)/batches.meta.txt")
        }
    }

    static let celebAAttributes = (1 ... 40).map { "Attribute_\($0)" }
    /// Image names and partitions (0 train, 1 valid, 2 test) of the CelebA fixture.
    static let celebAImages: [(name: String, partition: Int)] = (1 ... 12).map {
        (String(format: "%06d.jpg", $0), $0 <= 8 ? 0 : $0 <= 10 ? 1 : 2)
    }

    /// An aligned-CelebA folder: 12 JPEGs of 178×218 with their attribute and partition lists.
    static func celebA() throws -> String {
        try once("celeba") { folder in
            var attributes = ["\(celebAImages.count)", celebAAttributes.joined(separator: " ")]
            for (number, image) in celebAImages.enumerated() {
                let values = (0 ..< celebAAttributes.count).map { ($0 + number) % 3 == 0 ? "1" : "-1" }
                attributes.append(([image.name] + values).joined(separator: " "))
                try Files.write(try jpeg(pattern(width: 178, height: 218, seed: number)),
                                to: "\(folder)/\(CelebA.imageFolder)/\(image.name)")
            }
            try Files.write(attributes.joined(separator: "\n") + "\n", to: "\(folder)/\(CelebA.attributesFile)")
            try Files.write(celebAImages.map { "\($0.name) \($0.partition)" }.joined(separator: "\n") + "\n",
                            to: "\(folder)/\(CelebA.partitionFile)")
        }
    }

    /// An image folder `root/<class>/*`: three classes of four 16×16 images each, PNGs and JPEGs.
    static func imageFolder() throws -> String {
        try once("images") { folder in
            for (classIndex, name) in ["cat", "dog", "fox"].enumerated() {
                for index in 0 ..< 4 {
                    let bitmap = pattern(width: 16, height: 16, seed: classIndex * 4 + index)
                    let bytes = index % 2 == 0 ? try png(bitmap) : try jpeg(bitmap)
                    try Files.write(bytes, to: "\(folder)/\(name)/\(index).\(index % 2 == 0 ? "png" : "jpg")")
                }
            }
        }
    }
}
