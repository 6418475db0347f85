import ArgumentParser
import SimVAEMethods

/// `simvae sample`: images drawn from a generative run's prior.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a grid of images sampled from a generative run's prior (simvae, vae, beta-vae, cr-vae).")

    @Option(name: .customLong("run"), help: "Run folder.") var runFolder: String
    @Option(help: "Output PNG file.") var out: String
    @Option(help: "Samples (default 64).") var count = 64
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        if count < 1 { throw ValidationError("--count must be at least 1, got \(count).") }
    }

    func run() throws {
        runtime.apply()
        try reportingErrors {
            let trained = try TrainedModel(run: RunDirectory(path: runFolder))
            try ImageExport.writeGrid(try trained.sample(count: count), to: out)
            print("wrote \(out)")
        }
    }
}
