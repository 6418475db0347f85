import Foundation

/// One file of a dataset's canonical source, with the MD5 its publishers give.
public struct RemoteFile: Sendable, Equatable {
    /// Where the file is published.
    public var url: String
    /// The MD5 digest its publishers give, in hexadecimal.
    public var md5: String
    /// The file name to save it under.
    public var fileName: String { (url as NSString).lastPathComponent }
}

/// Canonical sources, checksum verification and downloads (through `curl`) of the datasets.
public enum DataFetch {
    /// CelebA cannot be downloaded automatically (Google Drive, licence acceptance).
    public static let celebAInstructions = "download img_align_celeba.zip, list_attr_celeba.txt and "
        + "list_eval_partition.txt by hand from https://mmlab.ie.cuhk.edu.hk/projects/CelebA.html (Google Drive), "
        + "unzip the images next to the two text files and pass that folder with --data-dir or $SIMVAE_DATA"

    /// The MD5 of a file, in lower-case hex (computed by the system's `md5sum`).
    public static func md5(ofFile path: String) throws -> String {
        let output = try run("/usr/bin/env", ["md5sum", path], what: "md5sum \(path)")
        guard let digest = output.split(separator: " ").first, digest.count == 32 else {
            throw DataError(file: path, "md5sum printed no checksum")
        }
        return String(digest)
    }

    /// Checks a downloaded file against its published MD5.
    /// - Throws: `DataError` naming the file and both checksums when they differ.
    public static func verify(_ path: String, md5 expected: String) throws {
        let found = try md5(ofFile: path)
        guard found == expected.lowercased() else {
            throw DataError(file: path, "MD5 \(found) differs from the published \(expected) (corrupt or partial "
                                + "download: delete it and fetch again)")
        }
    }

    /// Downloads a dataset into `folder` with `curl`, verifies every file and unpacks CIFAR-10's archive;
    /// files already present with the right checksum are kept.
    /// - Returns: the folder holding the dataset.
    /// - Throws: `DataError` when there is nothing to download (CelebA: the sentence says what to do by hand), when
    ///   `curl` fails (e.g. no network), or when a checksum differs.
    public static func fetch(_ dataset: Dataset, into folder: String) throws -> String {
        let files = dataset.downloads
        guard !files.isEmpty else { throw DataError("\(dataset.name) cannot be fetched: \(dataset.howToGet)") }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: folder, "cannot be created (\(error.localizedDescription))")
        }
        for file in files {
            let path = (folder as NSString).appendingPathComponent(file.fileName)
            if (try? verify(path, md5: file.md5)) == nil {
                _ = try run("/usr/bin/env", ["curl", "--fail", "--location", "--silent", "--show-error",
                                             "--output", path, file.url], what: "downloading \(file.url)")
                try verify(path, md5: file.md5)
            }
            if path.hasSuffix(".tar.gz") {
                _ = try run("/usr/bin/env", ["tar", "-xzf", path, "-C", folder], what: "unpacking \(path)")
            }
        }
        return folder
    }

    /// Runs a command and returns its standard output; a nonzero exit becomes a `DataError` with its stderr.
    private static func run(_ executable: String, _ arguments: [String], what: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw DataError("\(what) could not start: \(error.localizedDescription)") }
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let reason = String(decoding: complaint, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DataError("\(what) failed (exit \(process.terminationStatus)): \(reason)")
        }
        return String(decoding: printed, as: UTF8.self)
    }
}
