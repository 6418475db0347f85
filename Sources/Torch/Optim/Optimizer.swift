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
    private(set) var tensors: [Int: [String: Tensor]] = [:]

    subscript(index: Int, key: String) -> Tensor? {
        get { tensors[index]?[key] }
        set { tensors[index, default: [:]][key] = newValue }
    }

    func flattened() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (index, entries) in tensors {
            for (key, tensor) in entries { result["state.\(index).\(key)"] = tensor }
        }
        return result
    }

    /// Rebuilds the store, checking that each entry belongs to one of `parameters`, is one of `keys` and has the
    /// right shape, and that a parameter with any state has all of it (a partial state would crash the next step).
    static func restoring(_ state: [String: Tensor], parameters: [Tensor], keys: Set<String>,
                          shapedLikeParameter shapedKeys: Set<String>) throws -> ParameterStateStore
    {
        var store = ParameterStateStore()
        for (name, tensor) in state {
            let parts = name.split(separator: ".")
            guard parts.count == 3, parts[0] == "state", let index = Int(parts[1]), parameters.indices.contains(index)
            else { throw TorchError("optimizer state entry '\(name)' does not belong to any parameter") }
            let key = String(parts[2])
            guard keys.contains(key) else {
                throw TorchError("optimizer state entry '\(name)' is not one of \(keys.sorted().joined(separator: ", "))")
            }
            if shapedKeys.contains(key) && tensor.shape != parameters[index].shape {
                throw TorchError("optimizer state '\(name)' has shape \(tensor.shape), "
                    + "the parameter has \(parameters[index].shape)")
            }
            store[index, key] = tensor.to(parameters[index].device).clone()
        }
        for (index, entries) in store.tensors.sorted(by: { $0.key < $1.key }) {
            let missing = keys.subtracting(entries.keys).sorted().map { "state.\(index).\($0)" }
            if !missing.isEmpty {
                throw TorchError("optimizer state is incomplete: missing \(missing.joined(separator: ", "))")
            }
        }
        return store
    }
}
