/// The heavy-ball momentum of `SGD` and `LARS`, as in `torch.optim.SGD`: one buffer per parameter that
/// accumulates its update directions d, b ← μ·b + (1 − dampening)·d, and starts as a copy of the first d.
/// The buffers are the optimizer's checkpoint state, `state.<index>.momentum_buffer`.
struct MomentumBuffers {
    /// μ, the share of the buffer kept at each step.
    let momentum: Double
    /// The share of each new direction left out of the buffer (0 for LARS).
    let dampening: Double
    private var state = ParameterStateStore()

    /// The layout of the checkpoint state: one buffer of the parameter's shape.
    private static let layout: [String: ParameterStateStore.Entry] = ["momentum_buffer": .likeParameter]

    /// Buffers with momentum μ and `dampening`, none started yet.
    init(momentum: Double, dampening: Double) {
        self.momentum = momentum
        self.dampening = dampening
    }

    /// Adds `direction` to the buffer of parameter `index` and returns the buffer; nil in a failed
    /// `Tensor.checking` scope, where the optimizer must stop its step (a first buffer is then not kept).
    mutating func accumulate(_ direction: Tensor, at index: Int) -> Tensor? {
        if let existing = state[index, "momentum_buffer"] {
            return existing.mul_(momentum).add_(direction, alpha: 1 - dampening)
        }
        let buffer = direction.clone()
        return state.start(index, with: ["momentum_buffer": buffer]) ? buffer : nil
    }

    /// The buffers by checkpoint name.
    func stateDict() -> [String: Tensor] { state.flattened() }

    /// Replaces the buffers with those of `stateDict`, checked against `parameters`.
    mutating func load(stateDict: [String: Tensor], parameters: [Tensor]) throws {
        state = try .restoring(stateDict, parameters: parameters, layout: Self.layout)
    }
}
