import ArgumentParser
import Foundation
import SimVAEData
import SimVAEMethods
import Torch

/// `simvae export`: a run's encoder as weights alone, and representations as NumPy arrays, for use elsewhere.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a run's encoder (safetensors, PyTorch names) and representations (.npy) to a folder.",
        discussion: "Writes encoder.safetensors (the checkpoint's encoder. tensors without that prefix, with "
            + "metadata on the inputs and outputs), and for each split representations_<split>.npy (float32, "
            + "[N, zdim]: posterior means for generative methods) with labels_<split>.npy (int64). With --images, "
            + "representations_images.npy and images.txt (one file per row, in order) for every PNG or JPEG under "
            + "that folder, resized to the run's image size.")

    @Option(name: .customLong("run"), help: "Run folder.") var runFolder: String
    @Option(help: "Output folder (default <run>/export).") var out: String?
    @Option(help: "Dataset splits to export, comma-separated: train, test (default train,test; none for no split).")
    var splits = "train,test"
    @Option(help: "Also export the representations of the images in this folder (searched recursively).")
    var images: String?
    @Option(help: "Export the first N images of each split only.") var limit: Int?
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        try PathOption.validateRun(runFolder)
        if let out { try PathOption.validate(out, flag: "--out") }
        if let images { try PathOption.validate(images, flag: "--images") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit).") }
        _ = try requestedSplits()
    }

    /// The splits named by `--splits`.
    private func requestedSplits() throws -> [DataSplit] {
        if splits == "none" { return [] }
        return try CommaListOption.parse(splits, flag: "--splits", choices: "train, test (or none alone)") { name in
            DataSplit(rawValue: name).flatMap { $0 == .valid ? nil : $0 }
        }
    }

    func run() throws {
        let compute = try runtime.apply()
        try reportingErrors {
            let trained = try TrainedModel(run: RunDirectory(path: runFolder), device: compute.device)
            let folder = URL(fileURLWithPath: out ?? RunDirectory(path: runFolder).url.appendingPathComponent("export").path)
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw ConfigurationError("--out: cannot create the folder \(folder.path): \(error.localizedDescription)")
            }
            let weights = folder.appendingPathComponent("encoder.safetensors")
            try SafeTensors.write(EncoderExport.weights(of: trained), metadata: EncoderExport.metadata(of: trained),
                                  to: weights)
            print("wrote \(weights.path)")
            for split in try requestedSplits() {
                let set = try DatasetLoader.load(trained.dataset, split: split,
                                                 dataDirectory: trained.configuration.dataDirectory, limit: limit)
                let (features, labels) = try trained.representations(of: set)
                try write(features, "representations_\(split.rawValue).npy", in: folder)
                try write(labels, "labels_\(split.rawValue).npy", in: folder)
            }
            if let images {
                let files = try EncoderExport.imageFiles(in: images)
                let (features, _) = try trained.representations(of: trained.images(fromFiles: files))
                try write(features, "representations_images.npy", in: folder)
                let list = folder.appendingPathComponent("images.txt")
                try AtomicFile.write(Data(files.map { $0 + "\n" }.joined().utf8), to: list)
                print("wrote \(list.path)")
            }
        }
    }

    private func write(_ tensor: Tensor, _ name: String, in folder: URL) throws {
        let url = folder.appendingPathComponent(name)
        try NumPyFile.write(tensor, to: url)
        print("wrote \(url.path) (\(tensor.shape.map(String.init).joined(separator: " × ")))")
    }
}
