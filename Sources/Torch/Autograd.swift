import CTorch

/// Reverse-mode differentiation, backed by libtorch's autograd engine.
extension Tensor {
    /// Whether operations on this tensor are recorded for differentiation.
    public var requiresGrad: Bool {
        get { ct_tensor_requires_grad(handle) }
        set {
            FailureScope.perform("requiresGrad") { ct_tensor_set_requires_grad(handle, newValue) }
        }
    }

    /// Sets `requiresGrad` and returns the tensor, for chaining.
    @discardableResult public func requiringGrad(_ flag: Bool = true) -> Tensor {
        requiresGrad = flag
        return self
    }

    /// Whether the tensor was created by the user rather than by a recorded operation.
    public var isLeaf: Bool { ct_tensor_is_leaf(handle) }

    /// The gradient accumulated by `backward`, or nil.
    public var grad: Tensor? {
        get { ct_tensor_grad(handle).map { Tensor(handle: $0) } }
        set {
            FailureScope.perform("setting grad") { ct_tensor_set_grad(handle, newValue?.handle) }
        }
    }

    /// Drops the accumulated gradient (as PyTorch's `zero_grad(set_to_none=True)`).
    public func zeroGrad() { grad = nil }

    /// Back-propagates from this tensor; `gradient` is required unless the tensor is a scalar.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) {
        FailureScope.perform("backward") { ct_tensor_backward(handle, gradient?.handle, retainGraph) }
    }
}

/// Runs `body` without recording operations for autograd (as `torch.no_grad()`), restoring the previous mode.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    let previous = ct_grad_enabled()
    ct_set_grad_enabled(false)
    defer { ct_set_grad_enabled(previous) }
    return try body()
}

/// Whether operations are currently recorded for autograd on this thread.
public var isGradEnabled: Bool { ct_grad_enabled() }
