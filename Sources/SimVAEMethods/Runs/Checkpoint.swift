import Foundation
import Torch

/// One atomic checkpoint file holding everything needed to resume exactly: the model's tensors under their
/// dotted names (`encoder.layers.0.weight`, …), the optimizer's state under `optimizer.`, and libtorch's
/// random generator under `trainer.rng_state`; the trainer state (epoch, step, seconds) is in the file's
/// metadata, so the file alone says where it stands even if `trainer.json` is older. Python reads
/// the model with `{k: v for k, v in load_file(path).items() if not k.startswith(("optimizer.", "trainer."))}`.
public enum Checkpoint {
    static let optimizerPrefix = "optimizer."
    static let generatorKey = "trainer.rng_state"
    /// The metadata tag of files `save` writes.
    static let format = "simvae-checkpoint-1"

    /// Saves model, optimizer and generator state at the end of `epoch`.
    public static func save(model: Module, optimizer: any Optimizer, state: TrainerState, to url: URL) throws {
        var tensors = model.stateDict()
        for (name, tensor) in optimizer.stateDict() { tensors[optimizerPrefix + name] = tensor }
        tensors[generatorKey] = Runtime.generatorState()
        let trainer = String(decoding: try RunDirectory.encoder.encode(state), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: ["epoch": "\(state.epoch)", "step": "\(state.step)",
                                                  "trainer_state": trainer, "format": format], to: url)
    }

    /// Restores the model, the optimizer and the generator; returns the trainer state recorded in the file.
    /// - Throws: a sentence naming the file when it is not a valid safetensors file, was not written by
    ///   `save`, records an impossible state, or does not fit the model or the optimizer (names, shapes, types).
    @discardableResult
    public static func restore(model: Module, optimizer: (any Optimizer)?, from url: URL) throws -> TrainerState {
        let (tensors, metadata) = try SafeTensors.readWithMetadata(url)
        let state = try trainerState(metadata, of: url)
        var modelState: [String: Tensor] = [:]
        var optimizerState: [String: Tensor] = [:]
        for (name, tensor) in tensors where name != generatorKey {
            if name.hasPrefix(optimizerPrefix) {
                optimizerState[String(name.dropFirst(optimizerPrefix.count))] = tensor
            } else {
                modelState[name] = tensor
            }
        }
        do {
            try model.load(stateDict: modelState)
            try optimizer?.load(stateDict: optimizerState)
        } catch {
            throw ConfigurationError("\(url.path) does not match this run's model: \(error)")
        }
        if optimizer != nil {
            guard let generator = tensors[generatorKey] else {
                throw ConfigurationError("\(url.path) lacks \(generatorKey), so training cannot continue exactly")
            }
            do {
                try Runtime.restoreGeneratorState(generator)
            } catch {
                throw ConfigurationError("\(url.path): \(generatorKey) is not a random generator state (\(error))")
            }
        }
        return state
    }

    /// The trainer state a checkpoint file records, after checking the whole file.
    /// - Throws: as `restore`, for everything but the fit to a model.
    public static func recordedState(of url: URL) throws -> TrainerState {
        try trainerState(SafeTensors.readWithMetadata(url).metadata, of: url)
    }

    /// The trainer state of a checkpoint's metadata, checked: the format tag, a decodable and possible state,
    /// and the plain `epoch`/`step` entries agreeing with it.
    private static func trainerState(_ metadata: [String: String], of url: URL) throws -> TrainerState {
        func invalid(_ problem: String) -> ConfigurationError {
            ConfigurationError("\(url.path) is not a checkpoint of this tool: \(problem)")
        }
        guard metadata["format"] == format else {
            throw invalid("its metadata \"format\" is \(metadata["format"].map { "'\($0)'" } ?? "missing"), "
                + "expected '\(format)'")
        }
        guard let json = metadata["trainer_state"] else { throw invalid("its metadata lacks \"trainer_state\"") }
        let state: TrainerState
        do {
            state = try RunDirectory.decoder.decode(TrainerState.self, from: Data(json.utf8))
        } catch {
            throw invalid("its \"trainer_state\" cannot be read (\(RunFileError.describe(error, in: url)))")
        }
        do {
            try state.validate(.flags)
        } catch {
            throw invalid("\(error)")
        }
        guard metadata["epoch"] == "\(state.epoch)", metadata["step"] == "\(state.step)" else {
            throw invalid("its metadata \"epoch\" and \"step\" disagree with its \"trainer_state\"")
        }
        return state
    }
}
