import CTorch
import Foundation

/// An argument of an ATen operator call.
public enum OperatorArgument {
    case tensor(Tensor)
    case optionalTensor(Tensor?)
    case int(Int)
    case double(Double)
    /// A number for a `Scalar` argument: a whole number goes as an integer, so integer tensors keep their type
    /// (`n + 1` stays int64, as in PyTorch) and in-place updates of them (`add_(1)`) are allowed.
    case scalar(Double)
    case bool(Bool)
    case ints([Int])
    case doubles([Double])
    case tensors([Tensor])
    case optionalTensors([Tensor?])
    case string(String)
    case device(Device)
    case dtype(DType)
    case none
}

/// A value returned by an ATen operator.
public enum OperatorResult {
    case tensor(Tensor)
    case tensors([Tensor])
    case int(Int)
    case double(Double)
    case bool(Bool)
    case ints([Int])
    case none
}

/// An ATen operator resolved once by name and overload (`aten::add`, `Tensor`) and called through libtorch's
/// dispatcher, so autograd, device dispatch and every kernel come for free. Missing trailing arguments take the
/// operator's schema defaults.
public final class Operator: @unchecked Sendable {
    // The handle is immutable after init and libtorch's operator handles are safe to share across threads.
    private let handle: ct_op
    /// `name.overload`, for messages.
    public let qualifiedName: String

    /// Resolves an operator; traps if libtorch has no such operator (a programming error, not a user error).
    public init(_ name: String, _ overload: String = "") {
        let fullName = name.contains("::") ? name : "aten::\(name)"
        guard let handle = ct_op_find(fullName, overload) else {
            preconditionFailure("libtorch has no operator \(fullName).\(overload): \(TorchError.last())")
        }
        self.handle = handle
        self.qualifiedName = overload.isEmpty ? fullName : "\(fullName).\(overload)"
    }

    /// Calls the operator and returns all its results; throws libtorch's message on failure. In a failed
    /// `Tensor.checking` scope it throws that scope's failure without calling libtorch.
    public func results(_ arguments: [OperatorArgument]) throws -> [OperatorResult] {
        if let failure = FailureScope.failure { throw failure }
        return try withCValues(arguments) { values in
            var outputs = [ct_value](repeating: ct_value(), count: 8)
            var count: Int32 = 0
            let status = ct_op_call(handle, values.baseAddress, Int32(values.count), &outputs, 8, &count)
            let results = (0..<Int(count)).map { OperatorResult(taking: outputs[$0]) }
            guard status == 0 else { throw TorchError.last(qualifiedName) }
            return results
        }
    }

    /// Calls an operator that returns one tensor. On failure it traps with libtorch's message (or calls
    /// `Tensor.uncheckedFailureHandler`), unless the caller is inside `Tensor.checking { }`, which turns the failure
    /// into a thrown error and returns a placeholder meanwhile.
    public func callAsFunction(_ arguments: OperatorArgument...) -> Tensor {
        tensor(arguments)
    }

    /// Calls an operator that returns one tensor (see `callAsFunction`).
    public func tensor(_ arguments: [OperatorArgument]) -> Tensor {
        do {
            let outputs = try results(arguments)
            guard case .tensor(let tensor)? = outputs.first else {
                return FailureScope.fail(TorchError("\(qualifiedName) did not return a tensor"))
            }
            return tensor
        } catch {
            return FailureScope.fail(error)
        }
    }

    /// Calls an operator that returns several tensors, as a tuple or a list.
    public func tensors(_ arguments: OperatorArgument...) -> [Tensor] {
        do {
            return try results(arguments).flatMap { result -> [Tensor] in
                switch result {
                case .tensor(let tensor): [tensor]
                case .tensors(let list): list
                default: []
                }
            }
        } catch {
            return [FailureScope.fail(error)]
        }
    }

    /// Calls an operator that returns one number or boolean, as a `Double`.
    public func scalar(_ arguments: OperatorArgument...) -> Double {
        do {
            switch try results(arguments).first {
            case .double(let value)?: return value
            case .int(let value)?: return Double(value)
            case .bool(let value)?: return value ? 1 : 0
            default: FailureScope.record(TorchError("\(qualifiedName) did not return a number")); return .nan
            }
        } catch {
            FailureScope.record(error)
            return .nan
        }
    }
}

extension OperatorResult {
    /// Takes ownership of a value the shim returned.
    fileprivate init(taking value: ct_value) {
        switch Int(value.kind) {
        case Int(CT_TENSOR.rawValue):
            self = .tensor(Tensor(handle: value.t))
        case Int(CT_TENSOR_LIST.rawValue):
            let handles = UnsafeBufferPointer(start: value.tensors, count: Int(value.count))
            self = .tensors(handles.map { Tensor(handle: $0!) })
            ct_free(UnsafeMutableRawPointer(mutating: value.tensors))
        case Int(CT_INT.rawValue):
            self = .int(Int(value.i))
        case Int(CT_DOUBLE.rawValue):
            self = .double(value.d)
        case Int(CT_BOOL.rawValue):
            self = .bool(value.i != 0)
        case Int(CT_INT_LIST.rawValue):
            self = .ints(UnsafeBufferPointer(start: value.ints, count: Int(value.count)).map { Int($0) })
            ct_free(UnsafeMutableRawPointer(mutating: value.ints))
        default:
            self = .none
        }
    }
}

/// Converts arguments into the shim's C values, keeping every buffer alive for the duration of `body`.
private func withCValues<R>(_ arguments: [OperatorArgument], _ body: (UnsafeBufferPointer<ct_value>) throws -> R)
    rethrows -> R
{
    var buffers: [UnsafeMutableRawPointer] = []
    defer { buffers.forEach { $0.deallocate() } }
    func copy<T>(_ elements: [T]) -> UnsafePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(elements.count, 1))
        pointer.initialize(from: elements, count: elements.count)
        buffers.append(UnsafeMutableRawPointer(pointer))
        return UnsafePointer(pointer)
    }
    var values = [ct_value](repeating: ct_value(), count: arguments.count)
    for (index, argument) in arguments.enumerated() {
        var value = ct_value()
        switch argument {
        case .tensor(let tensor):
            value.kind = Int32(CT_TENSOR.rawValue); value.t = tensor.handle
        case .optionalTensor(let tensor):
            if let tensor { value.kind = Int32(CT_TENSOR.rawValue); value.t = tensor.handle }
        case .int(let number):
            value.kind = Int32(CT_INT.rawValue); value.i = Int64(number)
        case .dtype(let dtype):
            value.kind = Int32(CT_INT.rawValue); value.i = Int64(dtype.rawValue)
        case .double(let number):
            value.kind = Int32(CT_DOUBLE.rawValue); value.d = number
        case .scalar(let number):
            if number.rounded() == number && Swift.abs(number) <= 0x1p53 {
                value.kind = Int32(CT_INT.rawValue); value.i = Int64(number)
            } else {
                value.kind = Int32(CT_DOUBLE.rawValue); value.d = number
            }
        case .bool(let flag):
            value.kind = Int32(CT_BOOL.rawValue); value.i = flag ? 1 : 0
        case .ints(let list):
            value.kind = Int32(CT_INT_LIST.rawValue); value.ints = copy(list.map { Int64($0) })
            value.count = Int64(list.count)
        case .doubles(let list):
            value.kind = Int32(CT_DOUBLE_LIST.rawValue); value.doubles = copy(list); value.count = Int64(list.count)
        case .tensors(let list):
            value.kind = Int32(CT_TENSOR_LIST.rawValue); value.tensors = copy(list.map { Optional($0.handle) })
            value.count = Int64(list.count)
        case .optionalTensors(let list):
            value.kind = Int32(CT_TENSOR_LIST.rawValue); value.tensors = copy(list.map { $0?.handle })
            value.count = Int64(list.count)
        case .string(let text):
            let bytes = Array(text.utf8CString)
            value.kind = Int32(CT_STRING.rawValue)
            value.s = copy(bytes)
        case .device(let device):
            value.kind = Int32(CT_DEVICE.rawValue)
            switch device {
            case .cpu: value.i = 0; value.count = -1
            case .cuda(let ordinal): value.i = 1; value.count = Int64(ordinal)
            }
        case .none:
            value.kind = Int32(CT_NONE.rawValue)
        }
        values[index] = value
    }
    return try withExtendedLifetime(arguments) {
        try values.withUnsafeBufferPointer { try body($0) }
    }
}
