import Foundation

/// Uniform samples in [-bound, bound], the default initialisation of PyTorch's linear and conv layers.
func uniformParameter(_ shape: [Int], bound: Double) -> Tensor {
    Tensor(zeros: shape).uniform_(-bound, bound).requiringGrad()
}

/// y = x·Wᵀ + b, initialised like `torch.nn.Linear` (U(−1/√in, 1/√in) for weight and bias).
public final class Linear: Module, Layer {
    /// The [outputs, inputs] weight matrix W.
    public let weight: Tensor
    /// The [outputs] bias b, or nil for a layer without one.
    public let bias: Tensor?

    /// A layer from `inputs` to `outputs` features, with a bias unless `bias` is false.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true) {
        let bound = 1 / Foundation.sqrt(Double(inputs))
        weight = uniformParameter([outputs, inputs], bound: bound)
        self.bias = bias ? uniformParameter([outputs], bound: bound) : nil
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { Functional.linear(input, weight: weight, bias: bias) }
}

/// 2-D convolution, initialised like `torch.nn.Conv2d`.
public final class Conv2d: Module, Layer {
    /// The [outputs, inputs, kernelSize, kernelSize] filters.
    public let weight: Tensor
    /// The [outputs] bias, or nil for a layer without one.
    public let bias: Tensor?
    /// The step between windows and the zero padding on each side, in pixels.
    public let stride: Int, padding: Int

    /// A convolution from `inputs` to `outputs` channels with square `kernelSize` filters, with a bias unless
    /// `bias` is false.
    public init(_ inputs: Int, _ outputs: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true) {
        let bound = 1 / Foundation.sqrt(Double(inputs * kernelSize * kernelSize))
        weight = uniformParameter([outputs, inputs, kernelSize, kernelSize], bound: bound)
        self.bias = bias ? uniformParameter([outputs], bound: bound) : nil
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        Functional.conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}

/// 2-D transposed convolution, initialised like `torch.nn.ConvTranspose2d` (weights [in, out, k, k]).
public final class ConvTranspose2d: Module, Layer {
    /// The [inputs, outputs, kernelSize, kernelSize] filters.
    public let weight: Tensor
    /// The [outputs] bias, or nil for a layer without one.
    public let bias: Tensor?
    /// The stride and padding of the convolution this one transposes, and the rows and columns added to one side
    /// of the output.
    public let stride: Int, padding: Int, outputPadding: Int

    /// A transposed convolution from `inputs` to `outputs` channels with square `kernelSize` filters, with a bias
    /// unless `bias` is false.
    public init(_ inputs: Int, _ outputs: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                outputPadding: Int = 0, bias: Bool = true) {
        // PyTorch computes the fan-in from weight.size(1) · k · k, i.e. the output channels here.
        let bound = 1 / Foundation.sqrt(Double(outputs * kernelSize * kernelSize))
        weight = uniformParameter([inputs, outputs, kernelSize, kernelSize], bound: bound)
        self.bias = bias ? uniformParameter([outputs], bound: bound) : nil
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        Functional.convTranspose2d(input, weight: weight, bias: bias, stride: stride, padding: padding,
                                   outputPadding: outputPadding)
    }
}

/// Batch normalisation over the channel dimension of [N, C] or [N, C, H, W] inputs, with running statistics
/// as buffers (`running_mean`, `running_var`, `num_batches_tracked`), like `torch.nn.BatchNorm1d/2d`.
public final class BatchNorm: Module, Layer {
    /// The per-channel scale γ (initially 1).
    public let weight: Tensor
    /// The per-channel shift β (initially 0).
    public let bias: Tensor
    /// The running mean of each channel, used in evaluation mode.
    public let runningMean: Tensor
    /// The running variance of each channel, used in evaluation mode.
    public let runningVar: Tensor
    /// The number of batches seen in training (an int64 scalar).
    public let numBatchesTracked: Tensor
    /// The weight of each new batch in the running statistics, and the constant added to the variance.
    public let momentum: Double, eps: Double

    /// Batch normalisation of `features` channels.
    public init(_ features: Int, momentum: Double = 0.1, eps: Double = 1e-5) {
        weight = Tensor(ones: [features]).requiringGrad()
        bias = Tensor(zeros: [features]).requiringGrad()
        runningMean = Tensor(zeros: [features])
        runningVar = Tensor(ones: [features])
        numBatchesTracked = Tensor(zeros: [], dtype: .int64)
        self.momentum = momentum
        self.eps = eps
    }

    /// The group whose whole batch gives training-mode statistics (`--sync-batch-norm`), or nil for each
    /// process's own batch. Set once at start-up, before training.
    nonisolated(unsafe) public static var synchronizingGroup: ProcessGroup?

    public func callAsFunction(_ input: Tensor) -> Tensor {
        // An integer scalar: libtorch refuses to add a floating one to the int64 counter in place.
        if isTraining { withNoGrad { _ = ATen.addScalar_(.tensor(numBatchesTracked), .int(1)) } }
        if isTraining, let group = BatchNorm.synchronizingGroup {
            return group.batchNorm(input, runningMean: runningMean, runningVariance: runningVar, weight: weight,
                                   bias: bias, momentum: momentum, eps: eps)
        }
        return Functional.batchNorm(input, runningMean: runningMean, runningVariance: runningVar, weight: weight,
                                    bias: bias, training: isTraining, momentum: momentum, eps: eps)
    }
}

/// `BatchNorm` for [N, C] inputs (PyTorch's `BatchNorm1d`).
public typealias BatchNorm1d = BatchNorm
/// `BatchNorm` for [N, C, H, W] inputs (PyTorch's `BatchNorm2d`).
public typealias BatchNorm2d = BatchNorm

/// Layers applied one after the other; children are named `0`, `1`, … as in `torch.nn.Sequential`.
public final class Sequential: Module, Layer {
    /// The layers, in the order they are applied.
    public let layers: [any Layer]

    /// Layers applied in the order given.
    public init(_ layers: [any Layer]) { self.layers = layers }
    /// Layers applied in the order given.
    public convenience init(_ layers: any Layer...) { self.init(layers) }

    /// The layers, named by their positions.
    public override func namedChildren() -> [(String, Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element) }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1($0) }
    }
}

/// A parameter-free layer applying a function, e.g. `Activation(.relu)`.
public final class Activation: Module, Layer {
    /// The supported functions.
    public enum Kind: Sendable { case relu, leakyRelu(Double), sigmoid, tanh, softplus, identity }
    /// The function applied.
    public let kind: Kind

    /// A layer applying `kind`.
    public init(_ kind: Kind) { self.kind = kind }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        switch kind {
        case .relu: input.relu()
        case .leakyRelu(let slope): input.leakyRelu(negativeSlope: slope)
        case .sigmoid: input.sigmoid()
        case .tanh: input.tanh()
        case .softplus: input.softplus()
        case .identity: input
        }
    }
}

/// Flattens all dimensions after the first.
public final class Flatten: Module, Layer {
    /// Creates the layer.
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.flattened(from: 1) }
}

/// Max pooling over square windows, like `torch.nn.MaxPool2d`; no parameters.
public final class MaxPool2d: Module, Layer {
    /// The window's side, the step between windows and the padding on each side, in pixels.
    public let kernelSize: Int, stride: Int, padding: Int

    /// Pooling over `kernelSize`×`kernelSize` windows; `stride` defaults to the kernel size.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        (self.kernelSize, self.stride, self.padding) = (kernelSize, stride ?? kernelSize, padding)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        Functional.maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding)
    }
}
