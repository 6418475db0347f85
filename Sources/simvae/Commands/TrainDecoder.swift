import ArgumentParser
import SimVAEMethods

/// `simvae train-decoder`: fit a decoder to a discriminative run's frozen representations.
struct TrainDecoder: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-decoder",
        abstract: "Train a decoder on a simclr, moco, vicreg or random run's frozen representations.",
        discussion: "Reconstruction loss only, on the un-augmented training images; saves "
            + "<run>/checkpoints/decoder.safetensors and <run>/images/reconstructions.png, after which "
            + "`simvae reconstruct` works for the run.")

    @Option(name: .customLong("run"), help: "Run folder of a discriminative run.")
    var runFolder: String
    @Option(help: "Epochs (default 10).") var epochs = 10
    @Option(help: "Images per step (default 128).") var batchSize = 128
    @Option(help: "Adam learning rate (default 1e-3).") var lr = 1e-3
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        try PathOption.validateRun(runFolder)
        if !(1...TrainingConfiguration.maximumEpochs).contains(epochs) {
            throw ValidationError("--epochs must be between 1 and \(TrainingConfiguration.maximumEpochs), got \(epochs).")
        }
        if !(1...TrainingConfiguration.maximumBatchSize).contains(batchSize) {
            throw ValidationError("--batch-size must be between 1 and \(TrainingConfiguration.maximumBatchSize), "
                + "got \(batchSize).")
        }
        if !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number, got \(lr).") }
    }

    func run() throws {
        let compute = try runtime.apply()
        try reportingErrors {
            let training = FrozenDecoderTraining(run: RunDirectory(path: runFolder), epochs: epochs,
                                                 batchSize: batchSize, learningRate: lr, device: compute.device)
            let losses = try training.start()
            print("trained the decoder for \(epochs) epochs (final reconstruction loss "
                + "\(losses.last.map { String(format: "%.4f", $0) } ?? "?")); run folder: \(runFolder)")
        }
    }
}
