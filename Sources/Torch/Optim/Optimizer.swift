/// Updates parameters from their gradients.
public protocol Optimizer: AnyObject {
    /// The parameters being optimised, in a fixed order.
    var parameters: [Tensor] { get }
    /// The learning rate of the next step (schedules set it before each step).
    var learningRate: Double { get set }
    /// Applies one update from the current gradients; parameters without a gradient are skipped.
    func step()
    /// The optimizer's running state (step counts, moments, momentum buffers) by name, for checkpoints.
    func stateDict() -> [String: Tensor]
    /// Restores a state returned by `stateDict()`; throws if it does not fit these parameters.
    func load(stateDict: [String: Tensor]) throws
}

extension Optimizer {
    /// Drops the gradients of all parameters.
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }
}

/// Per-parameter state tensors named `state.<index>.<key>`, shared by the optimizers' checkpoint code.
struct ParameterStateStore {
    /// What a state entry must be to be restored.
    enum Entry {
        /// A tensor of the parameter's shape and element type (a moment, a momentum buffer).
        case likeParameter
        /// A count of steps taken: a 0-D float32 tensor (as `stateDict()` writes it, and PyTorch too) holding a
        /// non-negative whole number; restored on the CPU.
        case stepCount
    }

    private(set) var tensors: [Int: [String: Tensor]] = [:]

    subscript(index: Int, key: String) -> Tensor? {
        get { tensors[index]?[key] }
        set { tensors[index, default: [:]][key] = newValue }
    }

    /// Gives a parameter its first state, all entries at once, and returns true; in a failed `Tensor.checking`
    /// scope (where the entries are placeholders) it keeps nothing and returns false, so that the optimizer is
    /// unharmed once the scope has thrown.
    mutating func start(_ index: Int, with entries: [String: Tensor]) -> Bool {
        guard FailureScope.failure == nil else { return false }
        tensors[index] = entries
        return true
    }

    func flattened() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (index, entries) in tensors {
            for (key, tensor) in entries { result["state.\(index).\(key)"] = tensor }
        }
        return result
    }

    /// Rebuilds the store, checking that each entry belongs to one of `parameters`, is one of `layout`'s keys and
    /// is what that key needs, and that a parameter with any state has all of it: a partial or ill-typed state
    /// would crash or corrupt the next step. Throws the failure of a failed `Tensor.checking` scope.
    static func restoring(_ state: [String: Tensor], parameters: [Tensor], layout: [String: Entry]) throws
        -> ParameterStateStore
    {
        if let failure = FailureScope.failure { throw failure }
        var store = ParameterStateStore()
        for (name, tensor) in state {
            let parts = name.split(separator: ".")
            guard parts.count == 3, parts[0] == "state", let index = Int(parts[1]), parameters.indices.contains(index)
            else { throw TorchError("optimizer state entry '\(name)' does not belong to any parameter") }
            guard let entry = layout[String(parts[2])] else {
                throw TorchError("optimizer state entry '\(name)' is not one of "
                    + layout.keys.sorted().joined(separator: ", "))
            }
            store[index, String(parts[2])] = try entry.restored(tensor, named: name, for: parameters[index])
        }
        for (index, entries) in store.tensors.sorted(by: { $0.key < $1.key }) {
            let missing = Set(layout.keys).subtracting(entries.keys).sorted().map { "state.\(index).\($0)" }
            if !missing.isEmpty {
                throw TorchError("optimizer state is incomplete: missing \(missing.joined(separator: ", "))")
            }
        }
        return store
    }
}

extension ParameterStateStore.Entry {
    /// A copy of `tensor`, the entry `name` of `parameter`'s state, ready for the optimizer; throws a sentence
    /// naming the entry if it is not what this kind of entry must be.
    fileprivate func restored(_ tensor: Tensor, named name: String, for parameter: Tensor) throws -> Tensor {
        switch self {
        case .likeParameter:
            guard tensor.shape == parameter.shape else {
                throw TorchError("optimizer state '\(name)' has shape \(tensor.shape), "
                    + "the parameter has \(parameter.shape)")
            }
            guard tensor.dtype == parameter.dtype else {
                throw TorchError("optimizer state '\(name)' has type \(tensor.dtype), "
                    + "the parameter has \(parameter.dtype)")
            }
            return tensor.to(parameter.device).clone()
        case .stepCount:
            guard tensor.dtype == .float32, tensor.rank == 0 else {
                throw TorchError("optimizer state '\(name)' must be a step count (a 0-D float32 tensor), "
                    + "not a \(tensor.dtype) tensor of shape \(tensor.shape)")
            }
            let step = tensor.item
            guard step.isFinite, step >= 0, step.rounded() == step else {
                throw TorchError("optimizer state '\(name)' holds \(step), not a step count (a whole number from 0)")
            }
            return tensor.to(.cpu).clone()
        }
    }
}
