/// How a loss combines its per-element values.
public enum Reduction: Int, Sendable {
    case none = 0, mean = 1, sum = 2
}

/// Neural-network functions (`torch.nn.functional`), stateless.
public enum Functional {
    /// x·Wᵀ + b.
    public static func linear(_ input: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
        ATen.linear(.tensor(input), .tensor(weight), .optionalTensor(bias))
    }

    /// 2-D convolution of [N, C, H, W] input with [out, C/groups, kh, kw] weights.
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
                              padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor {
        ATen.conv2d(.tensor(input), .tensor(weight), .optionalTensor(bias), .ints([stride, stride]),
                    .ints([padding, padding]), .ints([dilation, dilation]), .int(groups))
    }

    /// 2-D transposed convolution with [C, out/groups, kh, kw] weights.
    public static func convTranspose2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1,
                                       padding: Int = 0, outputPadding: Int = 0, groups: Int = 1,
                                       dilation: Int = 1) -> Tensor {
        ATen.convTranspose2d(.tensor(input), .tensor(weight), .optionalTensor(bias), .ints([stride, stride]),
                             .ints([padding, padding]), .ints([outputPadding, outputPadding]), .int(groups),
                             .ints([dilation, dilation]))
    }

    /// Batch normalisation; in training it normalises with batch statistics and updates the running ones.
    public static func batchNorm(_ input: Tensor, runningMean: Tensor?, runningVariance: Tensor?,
                                 weight: Tensor?, bias: Tensor?, training: Bool, momentum: Double = 0.1,
                                 eps: Double = 1e-5) -> Tensor {
        ATen.batchNorm(.tensor(input), .optionalTensor(weight), .optionalTensor(bias),
                       .optionalTensor(runningMean), .optionalTensor(runningVariance), .bool(training),
                       .double(momentum), .double(eps), .bool(true))
    }

    /// Max pooling of [N, C, H, W] inputs over square `kernelSize` windows; `stride` defaults to the kernel size.
    public static func maxPool2d(_ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let step = stride ?? kernelSize
        return ATen.maxPool2d(.tensor(input), .ints([kernelSize, kernelSize]), .ints([step, step]),
                              .ints([padding, padding]))
    }

    /// Average pooling of [N, C, H, W] inputs over square `kernelSize` windows; `stride` defaults to the kernel size.
    public static func avgPool2d(_ input: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let step = stride ?? kernelSize
        return ATen.avgPool2d(.tensor(input), .ints([kernelSize, kernelSize]), .ints([step, step]),
                              .ints([padding, padding]))
    }

    /// Average pooling of [N, C, H, W] inputs to the spatial size `outputSize` = [H', W'], whatever the input size.
    public static func adaptiveAvgPool2d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveAvgPool2d(.tensor(input), .ints(outputSize))
    }

    /// Max pooling of [N, C, H, W] inputs to the spatial size `outputSize` = [H', W'] (the values, not the indices).
    public static func adaptiveMaxPool2d(_ input: Tensor, outputSize: [Int]) -> Tensor {
        ATen.adaptiveMaxPool2d.tensors(.tensor(input), .ints(outputSize))[0]
    }

    /// Resampling modes of `interpolate`.
    public enum InterpolationMode: Sendable { case nearest, bilinear }

    /// Resizes [N, C, H, W] images to `size` = [H', W'].
    public static func interpolate(_ input: Tensor, size: [Int], mode: InterpolationMode = .nearest,
                                   alignCorners: Bool = false) -> Tensor {
        switch mode {
        case .nearest: ATen.upsampleNearest(.tensor(input), .ints(size), .none)
        case .bilinear: ATen.upsampleBilinear(.tensor(input), .ints(size), .bool(alignCorners), .none)
        }
    }

    /// Zeroes elements with probability `p` in training and rescales the rest by 1/(1−p).
    public static func dropout(_ input: Tensor, p: Double, training: Bool) -> Tensor {
        ATen.dropout(.tensor(input), .double(p), .bool(training))
    }

    /// Softmax along `dim`: exponentials normalised to sum to 1.
    public static func softmax(_ input: Tensor, dim: Int) -> Tensor { ATen.softmax(.tensor(input), .int(dim)) }

    /// The logarithm of `softmax` along `dim`, computed stably.
    public static func logSoftmax(_ input: Tensor, dim: Int) -> Tensor {
        ATen.logSoftmax(.tensor(input), .int(dim))
    }

    /// Cross-entropy of [N, C] logits against integer class targets.
    public static func crossEntropy(_ logits: Tensor, targets: Tensor, reduction: Reduction = .mean,
                                    labelSmoothing: Double = 0) -> Tensor {
        ATen.crossEntropy(.tensor(logits), .tensor(targets), .none, .int(reduction.rawValue), .int(-100),
                          .double(labelSmoothing))
    }

    /// Binary cross-entropy of probabilities in [0, 1].
    public static func binaryCrossEntropy(_ probabilities: Tensor, targets: Tensor,
                                          reduction: Reduction = .mean) -> Tensor {
        ATen.binaryCrossEntropy(.tensor(probabilities), .tensor(targets), .none, .int(reduction.rawValue))
    }

    /// Binary cross-entropy of logits, computed stably.
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, targets: Tensor,
                                                    reduction: Reduction = .mean) -> Tensor {
        ATen.binaryCrossEntropyWithLogits(.tensor(logits), .tensor(targets), .none, .none,
                                          .int(reduction.rawValue))
    }

    /// Squared error.
    public static func mse(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
        ATen.mseLoss(.tensor(input), .tensor(target), .int(reduction.rawValue))
    }

    /// Cosine of the angle between `a` and `b` along `dim`.
    public static func cosineSimilarity(_ a: Tensor, _ b: Tensor, dim: Int = 1, eps: Double = 1e-8) -> Tensor {
        ATen.cosineSimilarity(.tensor(a), .tensor(b), .int(dim), .double(eps))
    }

    /// x / max(‖x‖_p, eps) along `dim`.
    public static func normalize(_ input: Tensor, p: Double = 2, dim: Int = 1, eps: Double = 1e-12) -> Tensor {
        input / input.norm(p, dims: [dim], keepDims: true).clamped(min: eps)
    }

    /// Sampling grid [N, H, W, 2] for the affine maps `theta` [N, 2, 3] and output `size` [N, C, H, W].
    public static func affineGrid(_ theta: Tensor, size: [Int], alignCorners: Bool = false) -> Tensor {
        ATen.affineGrid(.tensor(theta), .ints(size), .bool(alignCorners))
    }

    /// How `gridSample` treats positions outside the input.
    public enum GridPadding: Int, Sendable { case zeros = 0, border = 1, reflection = 2 }

    /// Samples `input` [N, C, H, W] at `grid` [N, H', W', 2] positions in [-1, 1].
    public static func gridSample(_ input: Tensor, grid: Tensor, mode: InterpolationMode = .bilinear,
                                  padding: GridPadding = .zeros, alignCorners: Bool = false) -> Tensor {
        ATen.gridSampler(.tensor(input), .tensor(grid), .int(mode == .bilinear ? 0 : 1), .int(padding.rawValue),
                         .bool(alignCorners))
    }

    /// Pairwise p-norm distances between the rows of `a` [.., P, M] and `b` [.., R, M].
    public static func pairwiseDistances(_ a: Tensor, _ b: Tensor, p: Double = 2) -> Tensor {
        ATen.cdist(.tensor(a), .tensor(b), .double(p))
    }
}

/// Linear algebra.
extension Tensor {
    /// Lower Cholesky factor of a symmetric positive-definite matrix (batched).
    public func cholesky() -> Tensor { ATen.cholesky(.tensor(self)) }
    /// Inverse of a square matrix (batched).
    public func inverse() -> Tensor { ATen.inverse(.tensor(self)) }
    /// Sign and log of the absolute determinant (batched).
    public func signedLogDeterminant() -> (sign: Tensor, logAbsDet: Tensor) {
        let outputs = FailureScope.padded(ATen.slogdet.tensors(.tensor(self)), to: 2)
        return (outputs[0], outputs[1])
    }
    /// X solving self · X = rhs for a triangular `self`.
    public func solveTriangular(_ rhs: Tensor, upper: Bool) -> Tensor {
        ATen.solveTriangular(.tensor(self), .tensor(rhs), .bool(upper))
    }
}
