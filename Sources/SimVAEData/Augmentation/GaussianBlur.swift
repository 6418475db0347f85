import Foundation
import Torch

/// `reflection_pad2d`, resolved once.
private let reflectionPad = Operator("reflection_pad2d")

/// A random Gaussian blur with a per-view standard deviation (torchvision's `GaussianBlur` inside `RandomApply`):
/// a separable depthwise convolution with reflected borders, one kernel per view.
public struct GaussianBlur: Sendable, Equatable {
    /// The side of the (odd) kernel in pixels.
    public var kernelSize: Int
    /// The range the standard deviation is drawn from, in pixels.
    public var sigma: ClosedRange<Double>
    /// The chance that a view is blurred.
    public var probability: Double

    /// Creates a blur; SimCLR uses a kernel of about a tenth of the image side, sigma 0.1…2 and probability 0.5.
    public init(kernelSize: Int, sigma: ClosedRange<Double> = 0.1 ... 2, probability: Double = 0.5) {
        self.kernelSize = kernelSize
        self.sigma = sigma
        self.probability = probability
    }

    /// Throws unless the kernel side is odd and positive and the sigma range positive.
    func validate() throws {
        guard kernelSize > 0, kernelSize % 2 == 1 else {
            throw DataError("the blur kernel size must be odd and positive, got \(kernelSize)")
        }
        guard sigma.lowerBound > 0 else {
            throw DataError("the blur sigma must be positive, got \(sigma.lowerBound)...\(sigma.upperBound)")
        }
    }

    /// One view's standard deviation, or 0 when the view is not blurred.
    func sampleSigma(using random: inout SplitMix64) -> Double {
        random.chance(probability) ? random.uniform(sigma) : 0
    }

    /// Blurs the views whose sigma is positive with a `kernelSize` kernel (reflected borders need the kernel's
    /// radius to be smaller than the image's sides).
    func apply(_ images: Tensor, sigmas: [Double]) -> Tensor {
        let rows = sigmas.indices.filter { sigmas[$0] > 0 }
        guard !rows.isEmpty else { return images }
        return images.updatingRows(rows) { views in
            Self.blur(views, kernels: rows.map { Self.kernel(size: kernelSize, sigma: sigmas[$0]) })
        }
    }

    /// Normalised 1-D Gaussian weights of `size` taps.
    static func kernel(size: Int, sigma: Double) -> [Float] {
        let radius = Double(size / 2)
        let weights = (0 ..< size).map { exp(-(Double($0) - radius) * (Double($0) - radius) / (2 * sigma * sigma)) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }

    /// Convolves every channel of view `i` with `kernels[i]` along rows, then along columns.
    private static func blur(_ views: Tensor, kernels: [[Float]]) -> Tensor {
        let shape = views.shape
        let (count, channels, size) = (shape[0], shape[1], kernels[0].count)
        let planes = count * channels
        let weights = kernels.flatMap { kernel in Array(repeating: kernel, count: channels).flatMap { $0 } }
        let taps = Tensor(weights, shape: [planes, 1, 1, size]).to(views.device)
        let radius = size / 2
        let padded = reflectionPad(.tensor(views.reshaped([1, planes, shape[2], shape[3]])),
                                   .ints([radius, radius, radius, radius]))
        let horizontal = Functional.conv2d(padded, weight: taps, groups: planes)
        let vertical = Functional.conv2d(horizontal, weight: taps.reshaped([planes, 1, size, 1]), groups: planes)
        return vertical.reshaped(shape)
    }
}
