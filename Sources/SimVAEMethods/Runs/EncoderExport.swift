import Foundation
import SimVAEData
import Torch

/// What `simvae export` writes for a run: its encoder alone, with PyTorch's names, and representations as `.npy`.
public enum EncoderExport {
    /// The encoder's tensors (parameters and batch-norm buffers) under the names of the encoder module itself: the
    /// checkpoint's `encoder.` entries with that prefix stripped (`layers.0.weight`, …), which for the authors'
    /// backbone are the names of their `Encoder`.
    public static func weights(of trained: TrainedModel) -> [String: Tensor] {
        let prefix = "encoder."
        return Dictionary(uniqueKeysWithValues: trained.model.namedTensors().compactMap { name, tensor in
            name.hasPrefix(prefix) ? (String(name.dropFirst(prefix.count)), tensor) : nil
        })
    }

    /// The metadata stored beside the weights: what the encoder takes and what its outputs mean.
    public static func metadata(of trained: TrainedModel) -> [String: String] {
        let configuration = trained.configuration
        let outputs = configuration.method.isGenerative
            ? "\(2 * configuration.latents): posterior mean (the first \(configuration.latents), the representation), "
                + "then log-variance"
            : "\(configuration.latents): the representation"
        return [
            "method": configuration.method.name, "dataset": configuration.dataset.name,
            "architecture": configuration.architecture.rawValue,
            "input": "[N, \(trained.imageShape.map(String.init).joined(separator: ", "))] float32 pixels in [0, 1]",
            "outputs": outputs, "epoch": String(trained.epoch), "step": String(trained.step),
        ]
    }

    /// The image files (PNG or JPEG, by extension) under `folder` and its subfolders, sorted by path.
    /// - Throws: a sentence naming the folder when it cannot be read or holds no image.
    public static func imageFiles(in folder: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ConfigurationError("--images: \(folder) is not a folder")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw ConfigurationError("--images: cannot read the folder \(folder)")
        }
        let files = enumerator.compactMap { $0 as? String }
            .filter { ImageFile.extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted().map { (folder as NSString).appendingPathComponent($0) }
        guard !files.isEmpty else {
            throw ConfigurationError("--images: \(folder) holds no .png, .jpg or .jpeg file")
        }
        return files
    }
}

extension TrainedModel {
    /// The representations [N, zdim] of `images` (un-augmented, in evaluation mode) and their labels [N].
    public func representations(of images: ImageSet) throws -> (features: Tensor, labels: Tensor) {
        try Tensor.checking { try Representations.features(of: model, images: images, device: device) }
    }

    /// `files` decoded, centre-cropped and resized to the run's image shape, as an unlabelled image set.
    /// - Throws: the `DataError` of the first file that cannot be decoded.
    public func images(fromFiles files: [String]) throws -> ImageSet {
        let (channels, height, width) = (imageShape[0], imageShape[1], imageShape[2])
        let pixels = try ImageFile.decodeAll(files, channels: channels, height: height, width: width)
        return ImageSet(pixels: pixels, count: files.count, channels: channels, height: height, width: width,
                        labels: Array(repeating: 0, count: files.count), classNames: [])
    }
}
