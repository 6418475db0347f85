import ArgumentParser
import SimVAEMethods

/// `simvae train`'s options for the recipe, the learning-rate schedule and the online monitor.
struct ScheduleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Settings to start from: authors (the paper's, default), fast (generative methods "
        + "with the mlp backbone) or simclr (LARS, warm-up, cosine); other flags override them."))
    var recipe: TrainingRecipe?
    @Option(help: ArgumentHelp("Learning rate after the warm-up: constant or cosine (decay to 0 at the last step; "
        + "default constant)."))
    var schedule: ScheduleKind?
    @Option(help: "Epochs of linear warm-up from 0 to --lr; a fraction is allowed (default 0).")
    var warmupEpochs: Double?
    @Option(help: ArgumentHelp("Online kNN monitor on held-out training images: every epoch, every N steps, or "
        + "off (default epoch).", valueName: "epoch|N|off"))
    var monitorEvery: String?

    func validate() throws {
        if let monitorEvery, MonitorInterval(text: monitorEvery) == nil {
            throw ValidationError("--monitor-every must be epoch, off or a number of steps, got '\(monitorEvery)'.")
        }
    }

    /// Applies the recipe (to a new run, except for the options in `given`, which flags set) and then these flags.
    /// A resumed run keeps its stored values; a flag that differs from them is reported by the session.
    func apply(to configuration: inout TrainingConfiguration, isNewRun: Bool, given: Set<ConfigurationField>) {
        if let recipe {
            if isNewRun {
                recipe.apply(to: &configuration, keeping: given.union(givenFields))
            } else {
                configuration.recipe = recipe
            }
        }
        if let schedule { configuration.schedule = schedule }
        if let warmupEpochs { configuration.warmupEpochs = warmupEpochs }
        if let monitorEvery, let interval = MonitorInterval(text: monitorEvery) { configuration.monitorEvery = interval }
    }

    /// The options these flags set.
    private var givenFields: Set<ConfigurationField> {
        Set([schedule.map { _ in .schedule }, warmupEpochs.map { _ in .warmupEpochs }].compactMap { $0 })
    }
}

extension TrainingRecipe: ExpressibleByArgument {}
extension ScheduleKind: ExpressibleByArgument {}
