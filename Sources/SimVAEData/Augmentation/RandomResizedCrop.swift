import Foundation

/// A random crop of random area and aspect ratio, later resized to the output size (torchvision's
/// `RandomResizedCrop`, with its sampling rule: up to ten tries for a box that fits, else a central crop).
public struct RandomResizedCrop: Sendable, Equatable {
    /// The range of the crop's area as a fraction of the image's area.
    public var scale: ClosedRange<Double>
    /// The range of the crop's aspect ratio (width / height), sampled log-uniformly.
    public var ratio: ClosedRange<Double>

    /// Creates a crop sampler; torchvision's defaults are scale 0.08…1 and ratio 3/4…4/3.
    public init(scale: ClosedRange<Double> = 0.08 ... 1, ratio: ClosedRange<Double> = 0.75 ... 4.0 / 3) {
        self.scale = scale
        self.ratio = ratio
    }

    /// Throws unless the ranges are usable: 0 < scale ≤ 1 and 0 < ratio.
    func validate() throws {
        guard scale.lowerBound > 0, scale.upperBound <= 1 else {
            throw DataError("crop scale must lie in (0, 1], got \(scale.lowerBound)...\(scale.upperBound)")
        }
        guard ratio.lowerBound > 0 else {
            throw DataError("crop aspect ratio must be positive, got \(ratio.lowerBound)...\(ratio.upperBound)")
        }
    }

    /// A crop box in whole pixels of a `height`×`width` image: (top row, left column, rows, columns).
    func sampleBox(height: Int, width: Int, using random: inout SplitMix64)
        -> (top: Int, left: Int, height: Int, width: Int)
    {
        let area = Double(height * width)
        for _ in 0 ..< 10 {
            let targetArea = area * random.uniform(scale)
            let aspect = random.logUniform(ratio)
            let boxWidth = Int((targetArea * aspect).squareRoot().rounded())
            let boxHeight = Int((targetArea / aspect).squareRoot().rounded())
            if boxWidth > 0, boxWidth <= width, boxHeight > 0, boxHeight <= height {
                let top = random.index(below: height - boxHeight + 1)
                let left = random.index(below: width - boxWidth + 1)
                return (top, left, boxHeight, boxWidth)
            }
        }
        var (boxHeight, boxWidth) = (height, width)
        let imageRatio = Double(width) / Double(height)
        if imageRatio < ratio.lowerBound {
            boxHeight = Int((Double(width) / ratio.lowerBound).rounded())
        } else if imageRatio > ratio.upperBound {
            boxWidth = Int((Double(height) * ratio.upperBound).rounded())
        }
        return ((height - boxHeight) / 2, (width - boxWidth) / 2, boxHeight, boxWidth)
    }
}

/// A random mirror image along one axis.
public struct RandomFlip: Sendable, Equatable {
    /// Which way an image is mirrored.
    public enum Axis: String, Sendable, CaseIterable {
        /// Left–right (SimCLR's flip).
        case horizontal
        /// Top–bottom (the flip of the SimVAE authors' code).
        case vertical
    }

    /// The mirror axis.
    public var axis: Axis
    /// The chance that a view is mirrored.
    public var probability: Double

    /// Creates a flip along `axis` applied with `probability` (0.5 by default).
    public init(_ axis: Axis, probability: Double = 0.5) {
        self.axis = axis
        self.probability = probability
    }
}
