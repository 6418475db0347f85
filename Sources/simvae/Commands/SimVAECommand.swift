import ArgumentParser

/// The `simvae` command: train, evaluate and compare self-supervised representation learners.
struct SimVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simvae",
        abstract: "SimVAE and the methods it is compared with: train, evaluate, report, benchmark.",
        subcommands: [Train.self, Evaluate.self, Report.self, TrainDecoder.self, Reconstruct.self, Sample.self,
                      Experiment.self, Export.self, Doctor.self, CheckDevice.self, Bench.self, DataCommand.self])
}
