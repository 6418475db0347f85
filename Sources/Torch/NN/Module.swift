/// A building block of a network that owns parameters, buffers and child modules.
///
/// Subclasses declare their parts as stored properties; `Module` finds them by reflection and names them the
/// way PyTorch does: property names in snake_case (`runningMean` → `running_mean`), array elements by index,
/// joined with dots (`encoder.layers.0.weight`). A stored `Tensor` that requires gradients is a parameter;
/// any other stored `Tensor` is a buffer (batch-norm statistics). Both are saved in the state dict.
open class Module {
    /// Whether the module is in training mode (dropout active, batch norm uses batch statistics).
    public private(set) var isTraining = true

    /// Creates a module in training mode.
    public init() {}

    /// Switches this module and all its descendants to training (`true`) or evaluation (`false`) mode.
    public func train(_ training: Bool = true) {
        isTraining = training
        for (_, child) in namedChildren() { child.train(training) }
    }

    /// Switches to evaluation mode.
    public func eval() { train(false) }

    /// Direct child modules with their property names.
    open func namedChildren() -> [(String, Module)] {
        var children: [(String, Module)] = []
        forEachStoredValue { name, value in
            Module.collectModules(value, name: name, into: &children)
        }
        return children
    }

    /// This module's own tensors (not its children's) with their names.
    private func ownTensors() -> [(String, Tensor)] {
        var tensors: [(String, Tensor)] = []
        forEachStoredValue { name, value in
            if let tensor = value as? Tensor {
                tensors.append((name, tensor))
            } else if let tensor = value as? Tensor?, let tensor {
                tensors.append((name, tensor))
            }
        }
        return tensors
    }

    /// Every tensor of the module tree (parameters and buffers) with its dotted name.
    public func namedTensors() -> [(String, Tensor)] {
        var result = ownTensors()
        for (childName, child) in namedChildren() {
            result += child.namedTensors().map { ("\(childName).\($0.0)", $0.1) }
        }
        return result
    }

    /// Trainable tensors (those requiring gradients) with their dotted names.
    public func namedParameters() -> [(String, Tensor)] { namedTensors().filter { $0.1.requiresGrad } }

    /// Trainable tensors, in a stable order.
    public func parameters() -> [Tensor] { namedParameters().map(\.1) }

    /// Non-trainable state (running statistics, counters) with dotted names.
    public func namedBuffers() -> [(String, Tensor)] { namedTensors().filter { !$0.1.requiresGrad } }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Drops the gradients of all parameters.
    public func zeroGrad() { parameters().forEach { $0.zeroGrad() } }

    /// Moves every parameter and buffer to `device` in place (their identities are kept).
    public func move(to device: Device) {
        withNoGrad {
            for (_, tensor) in namedTensors() where tensor.device != device {
                let moved = tensor.to(device)
                let requires = tensor.requiresGrad
                tensor.replaceStorage(with: moved)
                tensor.requiresGrad = requires
            }
        }
    }

    private func forEachStoredValue(_ body: (String, Any) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [Mirror] = []
        while let current = mirror {
            levels.append(current)
            mirror = current.superclassMirror
        }
        // Base-class properties first, as PyTorch registers them in `__init__` order.
        for level in levels.reversed() {
            for child in level.children {
                guard let label = child.label, label != "isTraining" else { continue }
                body(Module.pytorchName(label), child.value)
            }
        }
    }

    private static func collectModules(_ value: Any, name: String, into children: inout [(String, Module)]) {
        if let module = value as? Module {
            children.append((name, module))
        } else if let modules = value as? [Module] {
            for (index, module) in modules.enumerated() { children.append(("\(name).\(index)", module)) }
        } else if let optional = value as? Module?, let module = optional {
            children.append((name, module))
        }
    }

    /// `runningMean` → `running_mean`; a leading underscore (from property wrappers or privacy) is dropped.
    public static func pytorchName(_ swiftName: String) -> String {
        var name = ""
        for character in swiftName.drop(while: { $0 == "_" }) {
            if character.isUppercase {
                name += "_" + character.lowercased()
            } else {
                name.append(character)
            }
        }
        return name
    }
}

/// A module that maps one tensor to one tensor.
public protocol Layer: Module {
    /// Maps `input` to the layer's output.
    func callAsFunction(_ input: Tensor) -> Tensor
}
