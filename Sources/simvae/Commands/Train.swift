import ArgumentParser
import Foundation
import SimVAEData
import SimVAEEval
import SimVAEMethods
import Torch

/// `simvae train`: fit a method on a dataset into a run folder.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a method on a dataset; writes config.json, metrics.jsonl, checkpoints and images to --run.",
        discussion: "Defaults follow the paper (PAPER.md §4, §5, §8) per dataset; every resolved option is "
            + "written to <run>/config.json. Each method has options of its own, given after the others:\n"
            + MethodOptionArguments.help)

    @Option(help: "Method (each is listed below with its own options).")
    var method: Method
    @Option(help: SharedHelp.dataset)
    var dataset: Dataset
    @Option(name: .customLong("run"), help: "Run folder.")
    var runFolder: String
    @Option(help: SharedHelp.dataDirectory)
    var dataDir: String?
    @Option(help: "Epochs (default 12; 0 for random, which is saved untrained).") var epochs: Int?
    @Option(help: "Images per step, i.e. sets × views (default 128).") var batchSize: Int?
    @Option(help: "Views per set J (default: the method's, listed below).")
    var views: Int?
    @Option(help: "Networks: authors (the paper's code; default for colour images), resnet18 or mlp.")
    var backbone: Architecture?
    @Option(help: "Latent size (default 10 for MNIST-like data, 64 for colour images).") var zdim: Int?
    @Option(help: "Learning rate (default 8e-5 with adam, 0.3 × batch size / 256 with lars).") var lr: Double?
    @Option(help: "Optimizer: adam or lars (default adam, the paper's for every method).") var optimizer: OptimizerKind?
    @Option(help: "Seed for initialisation, shuffling, augmentation and sampling (default 1234).") var seed: UInt64?
    @Option(help: "Train on the first N training images only.") var limit: Int?
    @Option(help: "Augmentations: paper, paper-horizontal, simclr or none (default paper).")
    var augmentation: AugmentationPreset?
    @Option(help: "Steps between metrics.jsonl lines (default 50).") var logEvery: Int?
    @Option(help: "Also write the metrics as tensorboard (<run>/tensorboard/), csv (<run>/metrics.csv) or both.")
    var log: String?
    @Flag(help: "Continue an unfinished run in --run (or reuse a finished one).") var resume = false
    @Flag(help: "Delete the run in --run and start over.") var force = false
    @Option(help: ArgumentHelp("Ranks of data-parallel training to start on this machine (Gloo over CPU tensors; "
        + "threads are split between them). Across machines, start one `simvae train` per rank with torchrun's "
        + "variables RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT instead.", valueName: "n"))
    var nproc: Int?
    @Option(help: ArgumentHelp("Seconds a rank of a group waits for the others (to join, at each step) before it "
        + "stops the run (default 300)."))
    var distTimeout: Double = 300
    @Flag(inversion: .prefixedNo, help: ArgumentHelp("Across ranks, batch normalisation uses the whole group's "
        + "batch statistics (as one process would)."))
    var syncBatchNorm = true
    @OptionGroup var scheduleOptions: ScheduleOptions
    @OptionGroup var runtime: RuntimeOptions
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("The method's own options, listed below.",
                                                            valueName: "method options"))
    var methodOptions: [String] = []

    func validate() throws {
        if resume && force { throw ValidationError("--resume and --force exclude each other.") }
        if let nproc, !(1 ... 64).contains(nproc) {
            throw ValidationError("--nproc must be between 1 and 64, got \(nproc).")
        }
        if let nproc, nproc > 1, ProcessInfo.processInfo.environment["RANK"] != nil {
            throw ValidationError("--nproc starts its own ranks, but RANK is set (a launcher such as torchrun "
                + "started this one): leave out --nproc, or unset RANK.")
        }
        if !(distTimeout.isFinite && distTimeout >= 1) {
            throw ValidationError("--dist-timeout must be at least 1 second, got \(distTimeout).")
        }
        _ = try metricsFormats()
        try PathOption.validateRun(runFolder)
        if let dataDir { try PathOption.validate(dataDir, flag: "--data-dir") }
    }

    func run() throws {
        if let nproc, nproc > 1 {
            let threads = Swift.max(1, (runtime.threads ?? Runtime.availableCores) / nproc)
            try reportingErrors {
                try RankLauncher.run(count: nproc, threadsPerRank: threads, arguments: Train.rankArguments())
            }
            return
        }
        var compute = try runtime.apply()
        LoadedBLAS.warnIfSlow()
        try reportingErrors {
            let group = try joinGroup(device: compute.device)
            // Resuming starts from the run's own options, so flags not repeated keep their stored values.
            let folder = RunDirectory(path: runFolder)
            let stored = resume && FileManager.default.fileExists(atPath: folder.configuration.path)
                ? try folder.readConfiguration() : nil
            var configuration = stored ?? TrainingConfiguration.defaults(method: method, dataset: dataset)
            if configuration.method != method { configuration = .defaults(method: method, dataset: dataset) }
            configuration.dataset = dataset
            if let dataDir { configuration.dataDirectory = dataDir }
            if let epochs { configuration.epochs = epochs }
            if let batchSize { configuration.batchSize = batchSize }
            if let views { configuration.views = views }
            if let backbone { configuration.architecture = backbone }
            if let zdim { configuration.latents = zdim }
            if let lr { configuration.learningRate = lr }
            if let seed { configuration.seed = seed }
            if let limit { configuration.limit = limit }
            if let augmentation { configuration.augmentation = augmentation }
            if let logEvery { configuration.logEvery = logEvery }
            if let optimizer { configuration.optimizer = optimizer }
            if lr == nil && stored == nil && configuration.optimizer == .lars {
                configuration.learningRate = TrainingConfiguration.larsLearningRate(batchSize: configuration.batchSize)
            }
            let given: [ConfigurationField?] = [epochs.map { _ in .epochs }, batchSize.map { _ in .batchSize },
                                                views.map { _ in .views }, lr.map { _ in .learningRate },
                                                optimizer.map { _ in .optimizer }]
            scheduleOptions.apply(to: &configuration, isNewRun: stored == nil, given: Set(given.compactMap { $0 }))
            try MethodOptionArguments.apply(methodOptions, to: &configuration)
            if runtime.compute.precision == nil {
                compute.precision = Train.precision(of: configuration.recipe, on: compute.device) ?? compute.precision
            }
            var session = TrainingSession(configuration: configuration, run: folder,
                                          existing: force ? .overwrite : resume ? .resume : .refuse,
                                          compute: compute,
                                          progress: (group?.rank ?? 0) == 0 ? ProgressReporter() : .silent())
            session.group = group
            session.metricsFormats = try metricsFormats()
            session.monitorFactory = { [device = compute.device] in
                try KNNMonitor(trainingImages: $0, device: device)
            }
            StopRequest.install()
            let state: TrainerState
            do {
                state = try session.start()
            } catch let interrupted as TrainingInterrupted {
                var standardError = FileHandle.standardError
                if (group?.rank ?? 0) == 0 {
                    print("\(interrupted). Continue with:\n  \(Train.resumeCommand())", to: &standardError)
                }
                throw ExitCode(128 + interrupted.signal)
            }
            guard (group?.rank ?? 0) == 0 else { return }
            print(String(format: "trained %d epochs (%d steps) in %.1f s; run folder: ", state.epoch, state.step,
                         state.trainingSeconds) + runFolder
                + (group.map { " (\($0.worldSize) ranks)" } ?? ""))
        }
    }

    /// The group the environment's rendezvous variables describe, joined (nil when they describe none, or a
    /// group of one); it becomes the process's current group, and batch norms synchronise over it unless
    /// `--no-sync-batch-norm`.
    private func joinGroup(device: Device) throws -> ProcessGroup? {
        guard let rendezvous = try Rendezvous.fromEnvironment(), rendezvous.worldSize > 1 else { return nil }
        guard device == .cpu else {
            throw DistributedError("training across processes runs on the CPU (Gloo); this build has no NCCL "
                + "process group for --device \(device)")
        }
        let group = try ProcessGroup(rendezvous, timeout: distTimeout)
        ProcessGroup.current = group
        if syncBatchNorm { BatchNorm.synchronizingGroup = group }
        return group
    }

    /// This invocation's arguments for each rank `--nproc` starts: without `--nproc` and `--threads`, which the
    /// launcher sets.
    private static func rankArguments() -> [String] {
        var arguments: [String] = []
        var skipNext = false
        for argument in CommandLine.arguments.dropFirst() {
            if skipNext {
                skipNext = false
            } else if argument == "--nproc" || argument == "--threads" {
                skipNext = true
            } else if !argument.hasPrefix("--nproc=") && !argument.hasPrefix("--threads=") {
                arguments.append(argument)
            }
        }
        return arguments
    }

    /// The precision `recipe` trains in on `device` without `--precision` (nil: the device's default); when the
    /// recipe measured the CPU's bfloat16 speed to decide, one line on standard error says what it chose and why.
    private static func precision(of recipe: TrainingRecipe, on device: Device) -> Precision? {
        var speedup: Double?
        let chosen = recipe.precision(on: device) {
            let measured = MatrixProductSpeed.cpuBFloat16Speedup()
            speedup = measured
            return measured
        }
        if let speedup {
            let line = String(format: "--recipe %@: training in %@ (this CPU's bfloat16 matrix product is %.1f× "
                + "its float32 one; --precision overrides)\n", recipe.rawValue, (chosen ?? .fp32).rawValue, speedup)
            FileHandle.standardError.write(Data(line.utf8))
        }
        return chosen
    }

    /// The formats `--log` names.
    private func metricsFormats() throws -> Set<MetricsFormat> {
        guard let log else { return [] }
        return try Set(CommaListOption.parse(log, flag: "--log", as: MetricsFormat.self))
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
}

extension Method: ExpressibleByArgument {
    public init?(argument: String) {
        guard let method = Method.named(argument) else { return nil }
        self = method
    }

    public static var allValueStrings: [String] { registered.map(\.name) }
}
extension AugmentationPreset: ExpressibleByArgument {}
extension Architecture: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}

