/// Saving and restoring a module's tensors under PyTorch's dotted names.
extension Module {
    /// Every parameter and buffer by dotted name, detached, sharing memory with the module.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedTensors().map { ($0.0, $0.1.detached()) }, uniquingKeysWith: { first, _ in first })
    }

    /// Copies `state` into the module's parameters and buffers (moving it to their device, keeping the
    /// tensors' identities so optimizers stay attached). With `strict`, every name must match both ways.
    /// Each entry must have its tensor's shape and element type: a type is never converted silently.
    /// Throws a sentence listing the missing, unexpected, mis-shaped and mis-typed entries; nothing is copied then.
    public func load(stateDict state: [String: Tensor], strict: Bool = true) throws {
        let own = namedTensors()
        let ownNames = Set(own.map(\.0))
        let missing = own.map(\.0).filter { state[$0] == nil }
        let unexpected = state.keys.filter { !ownNames.contains($0) }.sorted()
        var misShaped: [String] = [], misTyped: [String] = []
        for (name, tensor) in own {
            guard let loaded = state[name] else { continue }
            if loaded.shape != tensor.shape {
                misShaped.append("\(name) (expected \(tensor.shape), found \(loaded.shape))")
            }
            if loaded.dtype != tensor.dtype {
                misTyped.append("\(name) (expected \(tensor.dtype), found \(loaded.dtype))")
            }
        }
        var problems: [String] = []
        if strict && !missing.isEmpty { problems.append("missing: \(missing.joined(separator: ", "))") }
        if strict && !unexpected.isEmpty { problems.append("unexpected: \(unexpected.joined(separator: ", "))") }
        if !misShaped.isEmpty { problems.append("wrong shape: \(misShaped.joined(separator: ", "))") }
        if !misTyped.isEmpty { problems.append("wrong type: \(misTyped.joined(separator: ", "))") }
        guard problems.isEmpty else {
            throw TorchError("the state dict does not fit the model; \(problems.joined(separator: "; "))")
        }
        withNoGrad {
            for (name, tensor) in own {
                if let loaded = state[name] { tensor.copy_(loaded) }
            }
        }
    }
}
