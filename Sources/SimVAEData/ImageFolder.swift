import Foundation

/// How an image folder is divided into its training and test splits.
public enum FolderSplit: Sendable, Equatable, CustomStringConvertible {
    /// The root holds `train/<class>/…` and `test/<class>/…`: each subfolder is a split.
    case trainTestFolders
    /// The root holds the classes directly; `percent` % of each class's images are held out for testing, chosen by
    /// a hash of each file's path (see `ImageFolder.load(root:split:channels:height:width:)`).
    case heldOut(percent: Int)

    /// A stable name for `config.json` and for checking that a folder is split as it was: `train-test-folders` or
    /// `held-out-20%`.
    public var description: String {
        switch self {
        case .trainTestFolders: "train-test-folders"
        case .heldOut(let percent): "held-out-\(percent)%"
        }
    }
}

/// A labelled image folder, `root/<class>/*.png|jpg|jpeg` (torchvision's `ImageFolder` layout), or
/// `root/train/<class>/…` with `root/test/<class>/…`.
public enum ImageFolder {
    /// The percentage of each class's images held out for testing when the root has no `train/` and `test/`.
    public static let heldOutPercent = 20

    /// How `root` is split: `.trainTestFolders` when it holds both a `train` and a `test` folder, else
    /// `.heldOut(percent: heldOutPercent)`.
    /// - Throws: `DataError` when `root` is not a folder.
    public static func split(of root: String) throws -> FolderSplit {
        guard isFolder(root) else {
            throw DataError(file: root, "no such folder (expected root/<class>/*.png|jpg|jpeg)")
        }
        let hasSplitFolders = isFolder(subfolder(root, "train")) && isFolder(subfolder(root, "test"))
        return hasSplitFolders ? .trainTestFolders : .heldOut(percent: heldOutPercent)
    }

    /// Loads the training or test images of `root`, labelled by class folder (classes sorted alphabetically, files
    /// sorted by name within a class), centre-cropped and resized to `height`×`width` (see
    /// `Bitmap.croppedAndResizedPlanar`).
    ///
    /// With `train/` and `test/` folders (`.trainTestFolders`), the classes are those of `train/`; every class of
    /// `test/` must be one of them and keeps its label. Otherwise (`.heldOut`), a file is a test image when its
    /// hash, `SplitMix64(seed: h).next()` where `h` is the 64-bit FNV-1a hash of the file's path relative to the
    /// root (`class/file.png`), is in the lowest `heldOutPercent` % of the 64-bit range: adding or removing files
    /// leaves the others where they were. A class
    /// of one image keeps it for training; a class of two or more keeps at least one image in each split (its
    /// lowest-hashed file is moved to the test split, or its highest-hashed one to the training split, when the
    /// hash leaves a split empty). No image is ever in both splits.
    /// - Throws: `DataError` for the validation split (image folders have none), when `root` is missing or the split
    ///   has no images, when a test class is not a training class, or naming the first image that cannot be decoded.
    public static func load(root: String, split: DataSplit, channels: Int = 3, height: Int,
                            width: Int) throws -> ImageSet {
        guard split != .valid else { throw DataError.noValidationSplit("an image folder") }
        let classNames: [String]
        let chosen: [ClassFolder]
        switch try self.split(of: root) {
        case .trainTestFolders:
            let train = try classes(in: subfolder(root, "train"))
            classNames = train.map(\.name)
            chosen = split == .train ? train : try classes(in: subfolder(root, "test"))
            if let unknown = chosen.first(where: { !classNames.contains($0.name) }) {
                throw DataError(file: unknown.folder, "is a test class missing from \(subfolder(root, "train"))")
            }
        case .heldOut:
            let all = try classes(in: root)
            classNames = all.map(\.name)
            chosen = all.map { entry in
                let test = heldOutFiles(of: entry)
                return (entry.name, entry.folder, entry.files.filter { test.contains($0) == (split == .test) })
            }
        }
        let images = chosen.flatMap { entry in
            let label = classNames.firstIndex(of: entry.name)!
            return entry.files.map { (path: subfolder(entry.folder, $0), label: label) }
        }
        guard !images.isEmpty else {
            throw DataError(file: root, "holds no images for the \(split) split (expected root/<class>/*.png|jpg|jpeg "
                                + "or root/train/<class>/… and root/test/<class>/…)")
        }
        let pixels = try ImageFile.decodeAll(images.map(\.path), channels: channels, height: height, width: width)
        return ImageSet(pixels: pixels, count: images.count, channels: channels, height: height, width: width,
                        labels: images.map(\.label), classNames: classNames)
    }

    private typealias ClassFolder = (name: String, folder: String, files: [String])

    /// The subfolders of `folder` that hold images, sorted by name, each with its image files sorted by name.
    private static func classes(in folder: String) throws -> [ClassFolder] {
        try contents(of: folder).compactMap { name in
            let path = subfolder(folder, name)
            guard isFolder(path) else { return nil }
            let files = try contents(of: path).filter {
                ImageFile.extensions.contains(($0 as NSString).pathExtension.lowercased())
            }
            return files.isEmpty ? nil : (name, path, files)
        }
    }

    /// The file names of one class (a folder of the root) that are held out for testing; see `load`.
    private static func heldOutFiles(of entry: ClassFolder) -> Set<String> {
        guard entry.files.count >= 2 else { return [] }
        let ranked = entry.files.map { file in
            var generator = SplitMix64(seed: ImageCache.fingerprint(of: [entry.name + "/" + file]))
            return (file: file, hash: generator.next())
        }.sorted { ($0.hash, $0.file) < ($1.hash, $1.file) }
        let threshold = UInt64.max / 100 * UInt64(heldOutPercent)
        var test = Set(ranked.filter { $0.hash < threshold }.map(\.file))
        if test.isEmpty { test.insert(ranked[0].file) }
        if test.count == ranked.count { test.remove(ranked[ranked.count - 1].file) }
        return test
    }

    private static func subfolder(_ folder: String, _ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    private static func isFolder(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    private static func contents(of folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataError(file: folder, "cannot be listed (\(error.localizedDescription))")
        }
    }
}
