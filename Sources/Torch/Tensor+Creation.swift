/// Factories, mirroring `torch.zeros`, `torch.randn` and friends.
extension Tensor {
    private static func factoryOptions(_ dtype: DType, _ device: Device) -> [OperatorArgument] {
        [.dtype(dtype), .none, .device(device)]
    }

    /// A tensor of zeros.
    public convenience init(zeros shape: [Int], dtype: DType = .float32, device: Device = .cpu) {
        self.init(taking: ATen.zeros.tensor([.ints(shape)] + Tensor.factoryOptions(dtype, device)))
    }

    /// A tensor of ones.
    public convenience init(ones shape: [Int], dtype: DType = .float32, device: Device = .cpu) {
        self.init(taking: ATen.ones.tensor([.ints(shape)] + Tensor.factoryOptions(dtype, device)))
    }

    /// A tensor filled with `value`.
    public convenience init(full shape: [Int], value: Double, dtype: DType = .float32, device: Device = .cpu) {
        self.init(taking: ATen.full.tensor([.ints(shape), .double(value)] + Tensor.factoryOptions(dtype, device)))
    }

    /// Uniform samples in [0, 1) from libtorch's seeded generator.
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        ATen.rand.tensor([.ints(shape)] + factoryOptions(dtype, device))
    }

    /// Standard normal samples from libtorch's seeded generator.
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        ATen.randn.tensor([.ints(shape)] + factoryOptions(dtype, device))
    }

    /// Uniform integers in `range`.
    public static func randint(_ range: Range<Int>, shape: [Int], device: Device = .cpu) -> Tensor {
        ATen.randint.tensor([.int(range.lowerBound), .int(range.upperBound), .ints(shape)]
            + factoryOptions(.int64, device))
    }

    /// A random permutation of 0..<n.
    public static func randperm(_ n: Int, device: Device = .cpu) -> Tensor {
        ATen.randperm.tensor([.int(n)] + factoryOptions(.int64, device))
    }

    /// Values from `start` up to (not including) `end`, `step` apart.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32,
                              device: Device = .cpu) -> Tensor {
        ATen.arange.tensor([.double(start), .double(end), .double(step)] + factoryOptions(dtype, device))
    }

    /// Values from 0 up to (not including) `end`, `step` apart (`torch.arange(end)`).
    public static func arange(_ end: Double, step: Double = 1, dtype: DType = .float32,
                              device: Device = .cpu) -> Tensor {
        arange(0, end, step: step, dtype: dtype, device: device)
    }

    /// `count` evenly spaced values from `start` to `end` inclusive.
    public static func linspace(_ start: Double, _ end: Double, count: Int, dtype: DType = .float32,
                                device: Device = .cpu) -> Tensor {
        ATen.linspace.tensor([.double(start), .double(end), .int(count)] + factoryOptions(dtype, device))
    }

    /// The n × n identity matrix.
    public static func eye(_ n: Int, dtype: DType = .float32, device: Device = .cpu) -> Tensor {
        ATen.eye.tensor([.int(n)] + factoryOptions(dtype, device))
    }

    /// Zeros with this tensor's shape, type and device.
    public func zerosLike() -> Tensor { ATen.zerosLike(.tensor(self)) }
    /// Ones with this tensor's shape, type and device.
    public func onesLike() -> Tensor { ATen.onesLike(.tensor(self)) }
    /// Uniform [0, 1) samples with this tensor's shape, type and device.
    public func randLike() -> Tensor { ATen.randLike(.tensor(self)) }
    /// Standard normal samples with this tensor's shape, type and device.
    public func randnLike() -> Tensor { ATen.randnLike(.tensor(self)) }

    /// Takes over another tensor's handle (used by the convenience initialisers).
    convenience init(taking other: Tensor) {
        self.init(handle: ct_tensor_share(other.handle))
    }
}

import CTorch
