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

    /// Saves model, optimizer and generator state at the end of `epoch`.
    public static func save(model: Module, optimizer: any Optimizer, state: TrainerState, to url: URL) throws {
        var tensors = model.stateDict()
        for (name, tensor) in optimizer.stateDict() { tensors[optimizerPrefix + name] = tensor }
        tensors[generatorKey] = Runtime.generatorState()
        let trainer = String(decoding: try RunDirectory.encoder.encode(state), as: UTF8.self)
        try SafeTensors.write(tensors, metadata: ["epoch": "\(state.epoch)", "step": "\(state.step)",
                                                  "trainer_state": trainer, "format": "simvae-checkpoint-1"], to: url)
    }

    /// Restores the model, the optimizer and the generator; returns the trainer state recorded in the file.
    @discardableResult
    public static func restore(model: Module, optimizer: (any Optimizer)?, from url: URL) throws -> TrainerState {
        let (tensors, metadata) = try SafeTensors.readWithMetadata(url)
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
        if optimizer != nil, let generator = tensors[generatorKey] { try Runtime.restoreGeneratorState(generator) }
        if let json = metadata["trainer_state"],
           let state = try? RunDirectory.decoder.decode(TrainerState.self, from: Data(json.utf8)) {
            return state
        }
        let (epoch, step) = (Int(metadata["epoch"] ?? "") ?? 0, Int(metadata["step"] ?? "") ?? 0)
        return TrainerState(epoch: epoch, step: step, trainingSeconds: 0, finished: false)
    }
}
