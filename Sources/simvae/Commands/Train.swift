import ArgumentParser
import Foundation
import SimVAEData
import SimVAEMethods

/// `simvae train`: fit a method on a dataset into a run folder.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a method on a dataset; writes config.json, metrics.jsonl, checkpoints and images to --run.",
        discussion: "Defaults follow the paper (PAPER.md §4, §5, §8) per dataset; every resolved option is "
            + "written to <run>/config.json.")

    @Option(help: "Method: \(Method.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: Method
    @Option(help: SharedHelp.dataset)
    var dataset: Dataset
    @Option(name: .customLong("run"), help: "Run folder.")
    var runFolder: String
    @Option(help: SharedHelp.dataDirectory)
    var dataDir: String?
    @Option(help: "Epochs (default 12; 0 for random, which is saved untrained).") var epochs: Int?
    @Option(help: "Images per step, i.e. sets × views (default 128).") var batchSize: Int?
    @Option(help: "Views per set J (default 10 for simvae and cr-vae, 2 for simclr, moco and vicreg, 1 otherwise).")
    var views: Int?
    @Option(help: "Latent size (default 10 for MNIST-like data, 64 for colour images).") var zdim: Int?
    @Option(help: "Learning rate (default 8e-5 with adam, 0.3 × batch size / 256 with lars).") var lr: Double?
    @Option(help: "Optimizer: adam or lars (default adam, the paper's for every method).") var optimizer: OptimizerKind?
    @Option(help: "Seed for initialisation, shuffling, augmentation and sampling (default 1234).") var seed: UInt64?
    @Option(help: "Train on the first N training images only.") var limit: Int?
    @Option(help: "SimVAE weighting: exact (the true ELBO_SSL) or authors (their code's effective objective).")
    var objective: ObjectivePreset?
    @Option(help: "σ² of p(z|y) for SimVAE (default 0.15).") var clusterVariance: Double?
    @Option(help: "SimVAE's prior on the cluster centre: gaussian or uniform (default gaussian).")
    var centrePrior: CentrePrior?
    @Option(help: "β of beta-vae (default 4).") var beta: Double?
    @Option(help: "λ of cr-vae's consistency term (default 1).") var consistencyWeight: Double?
    @Option(help: "τ of simclr's and moco's losses (default 0.5 for simclr, 0.2 for moco).") var temperature: Double?
    @Option(help: ArgumentHelp("Projection head widths after the zdim representation, comma-separated "
        + "(default 512,128; 2048,2048,2048 for vicreg's expander)."))
    var projection: String?
    @Option(help: "Momentum m of moco's key network (default 0.99).") var mocoMomentum: Double?
    @Option(help: "Keys in moco's queue of negatives (default 4096).") var queueSize: Int?
    @Option(help: "vicreg's invariance weight λ (default 25).") var invarianceWeight: Double?
    @Option(help: "vicreg's variance weight μ (default 25).") var varianceWeight: Double?
    @Option(help: "vicreg's covariance weight ν (default 1).") var covarianceWeight: Double?
    @Option(help: "Augmentations: paper, paper-horizontal, simclr or none (default paper).")
    var augmentation: AugmentationPreset?
    @Option(help: "Steps between metrics.jsonl lines (default 50).") var logEvery: Int?
    @Flag(help: "Continue an unfinished run in --run (or reuse a finished one).") var resume = false
    @Flag(help: "Delete the run in --run and start over.") var force = false
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        if resume && force { throw ValidationError("--resume and --force exclude each other.") }
        try PathOption.validateRun(runFolder)
        if let dataDir { try PathOption.validate(dataDir, flag: "--data-dir") }
    }

    func run() throws {
        try runtime.apply()
        try reportingErrors {
            // Resuming starts from the run's own options, so flags not repeated keep their stored values.
            let folder = RunDirectory(path: runFolder)
            let stored = resume && FileManager.default.fileExists(atPath: folder.configuration.path)
                ? try folder.readConfiguration() : nil
            var configuration = stored ?? TrainingConfiguration.defaults(method: method, dataset: dataset)
            (configuration.method, configuration.dataset) = (method, dataset.rawValue)
            if let dataDir { configuration.dataDirectory = dataDir }
            if let epochs { configuration.epochs = epochs }
            if let batchSize { configuration.batchSize = batchSize }
            if let views { configuration.views = views }
            if let zdim { configuration.latents = zdim }
            if let lr { configuration.learningRate = lr }
            if let seed { configuration.seed = seed }
            if let limit { configuration.limit = limit }
            if let objective { configuration.objective = objective }
            if let clusterVariance { configuration.clusterVariance = clusterVariance }
            if let centrePrior { configuration.centrePrior = centrePrior }
            if let beta { configuration.beta = beta }
            if let consistencyWeight { configuration.consistencyWeight = consistencyWeight }
            if let augmentation { configuration.augmentation = augmentation }
            if let logEvery { configuration.logEvery = logEvery }
            if let optimizer { configuration.optimizer = optimizer }
            if lr == nil && stored == nil && configuration.optimizer == .lars {
                configuration.learningRate = TrainingConfiguration.larsLearningRate(batchSize: configuration.batchSize)
            }
            if let temperature { configuration.temperature = temperature }
            if let projection { configuration.projectionWidths = try Train.widths(projection) }
            if let mocoMomentum { configuration.mocoMomentum = mocoMomentum }
            if let queueSize { configuration.queueSize = queueSize }
            if let invarianceWeight { configuration.vicregWeights.invariance = invarianceWeight }
            if let varianceWeight { configuration.vicregWeights.variance = varianceWeight }
            if let covarianceWeight { configuration.vicregWeights.covariance = covarianceWeight }
            let session = TrainingSession(configuration: configuration, run: folder,
                                          existing: force ? .overwrite : resume ? .resume : .refuse)
            StopRequest.install()
            let state: TrainerState
            do {
                state = try session.start()
            } catch let interrupted as TrainingInterrupted {
                var standardError = FileHandle.standardError
                print("\(interrupted). Continue with:\n  \(Train.resumeCommand())", to: &standardError)
                throw ExitCode(128 + interrupted.signal)
            }
            print(String(format: "trained %d epochs (%d steps) in %.1f s; run folder: ", state.epoch, state.step,
                         state.trainingSeconds) + runFolder)
        }
    }

    /// This invocation with `--resume` (and without `--force`), for the message after an interruption.
    private static func resumeCommand() -> String {
        let arguments = CommandLine.arguments.dropFirst().filter { $0 != "--force" && $0 != "--resume" }
        let quoted = arguments.map { argument in
            argument.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=,:".contains($0) }) ? argument
                : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        return (["simvae"] + quoted + ["--resume"]).joined(separator: " ")
    }

    /// Widths such as "512,128".
    private static func widths(_ text: String) throws -> [Int] {
        let pieces = text.split(separator: ",", omittingEmptySubsequences: false)
        let widths = pieces.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !widths.isEmpty, widths.count == pieces.count else {
            throw ConfigurationError("--projection takes comma-separated widths such as 512,128, got '\(text)'")
        }
        return widths
    }
}

extension Method: ExpressibleByArgument {}
extension AugmentationPreset: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ObjectivePreset: ExpressibleByArgument {}
extension CentrePrior: ExpressibleByArgument {}
