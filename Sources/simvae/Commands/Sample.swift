import ArgumentParser
import SimVAEMethods

/// `simvae sample`: images drawn from a generative run's prior.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a grid of images sampled from a generative run's prior (simvae, vae, beta-vae, cr-vae).")

    @Option(name: .customLong("run"), help: "Run folder.") var runFolder: String
    @Option(help: "Output PNG file.") var out: String
    @Option(help: "Samples (default 64, at most \(Sample.maximumCount)).") var count = 64
    @OptionGroup var runtime: RuntimeOptions

    /// The most samples one grid holds (64 × 64 images).
    static let maximumCount = 4_096

    func validate() throws {
        try PathOption.validateRun(runFolder)
        try PathOption.validate(out, flag: "--out")
        if !(1...Sample.maximumCount).contains(count) {
            throw ValidationError("--count must be between 1 and \(Sample.maximumCount), got \(count).")
        }
    }

    func run() throws {
        let compute = try runtime.apply()
        try reportingErrors {
            let trained = try TrainedModel(run: RunDirectory(path: runFolder), device: compute.device)
            try ImageExport.writeGrid(try trained.sample(count: count), to: out)
            print("wrote \(out)")
        }
    }
}
