/// Saving and restoring a module's tensors under PyTorch's dotted names.
extension Module {
    /// Every parameter and buffer by dotted name, detached, sharing memory with the module.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedTensors().map { ($0.0, $0.1.detached()) }, uniquingKeysWith: { first, _ in first })
    }

    /// Copies `state` into the module's parameters and buffers (converting type and device, keeping the
    /// tensors' identities so optimizers stay attached). With `strict`, every name must match both ways.
    /// Throws a sentence listing the missing, unexpected and mis-shaped entries; nothing is copied then.
    public func load(stateDict state: [String: Tensor], strict: Bool = true) throws {
        let own = namedTensors()
        let ownNames = Set(own.map(\.0))
        let missing = own.map(\.0).filter { state[$0] == nil }
        let unexpected = state.keys.filter { !ownNames.contains($0) }.sorted()
        let misShaped = own.compactMap { name, tensor -> String? in
            guard let loaded = state[name], loaded.shape != tensor.shape else { return nil }
            return "\(name) (expected \(tensor.shape), found \(loaded.shape))"
        }
        var problems: [String] = []
        if strict && !missing.isEmpty { problems.append("missing: \(missing.joined(separator: ", "))") }
        if strict && !unexpected.isEmpty { problems.append("unexpected: \(unexpected.joined(separator: ", "))") }
        if !misShaped.isEmpty { problems.append("wrong shape: \(misShaped.joined(separator: ", "))") }
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
