import Foundation

/// A labelled image folder, `root/<class>/*.png|jpg|jpeg` (torchvision's `ImageFolder` layout).
public enum ImageFolder {
    /// Loads every image below `root`, labelled by its class folder (classes sorted alphabetically, files sorted by
    /// name within a class), centre-cropped and resized to `height`×`width` (see `Bitmap.croppedAndResizedPlanar`).
    /// - Throws: `DataError` when `root` is missing or holds no class folder with images, or naming the first image
    ///   that cannot be decoded.
    public static func load(root: String, channels: Int = 3, height: Int, width: Int) throws -> ImageSet {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        guard fileManager.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw DataError(file: root, "no such folder (expected root/<class>/*.png|jpg|jpeg)")
        }
        var classNames: [String] = []
        var paths: [String] = []
        var labels: [Int] = []
        for name in try contents(of: root) {
            let folder = (root as NSString).appendingPathComponent(name)
            guard fileManager.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let images = try contents(of: folder).filter {
                ImageFile.extensions.contains(($0 as NSString).pathExtension.lowercased())
            }
            guard !images.isEmpty else { continue }
            labels += Array(repeating: classNames.count, count: images.count)
            classNames.append(name)
            paths += images.map { (folder as NSString).appendingPathComponent($0) }
        }
        guard !paths.isEmpty else {
            throw DataError(file: root, "holds no images (expected root/<class>/*.png|jpg|jpeg)")
        }
        let pixels = try ImageFile.decodeAll(paths, channels: channels, height: height, width: width)
        return ImageSet(pixels: pixels, count: paths.count, channels: channels, height: height, width: width,
                        labels: labels, classNames: classNames)
    }

    private static func contents(of folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw DataError(file: folder, "cannot be listed (\(error.localizedDescription))")
        }
    }
}
