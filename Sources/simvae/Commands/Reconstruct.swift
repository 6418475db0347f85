import ArgumentParser
import SimVAEData
import SimVAEMethods
import Torch

/// `simvae reconstruct`: test images above their reconstructions, for any run.
struct Reconstruct: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write test images (upper rows) above their reconstructions from a run's representations.",
        discussion: "Generative runs use their own decoder; simclr, moco, vicreg and random runs need "
            + "`simvae train-decoder` first.")

    @Option(name: .customLong("run"), help: "Run folder.") var runFolder: String
    @Option(help: "Output PNG file.") var out: String
    @Option(help: "Test images to reconstruct, a multiple of 8 (default 32, at most \(Reconstruct.maximumCount)).")
    var count = 32
    @OptionGroup var runtime: RuntimeOptions

    /// The most images one picture shows.
    static let maximumCount = 1_024

    func validate() throws {
        try PathOption.validateRun(runFolder)
        try PathOption.validate(out, flag: "--out")
        if count < 8 || count % 8 != 0 || count > Reconstruct.maximumCount {
            throw ValidationError("--count must be a multiple of 8 between 8 and \(Reconstruct.maximumCount), "
                + "got \(count).")
        }
    }

    func run() throws {
        let compute = try runtime.apply()
        try reportingErrors {
            let trained = try TrainedModel(run: RunDirectory(path: runFolder), device: compute.device)
            let images = try DatasetLoader.load(trained.dataset, split: .test,
                                                dataDirectory: trained.configuration.dataDirectory, limit: count)
            try ImageExport.writeReconstructions(of: images.pixelTensor().float / 255, to: out,
                                                 reconstruct: trained.reconstruct)
            print("wrote \(out)")
        }
    }
}
