import Foundation
import Torch

/// The sampled parameters of every view of an augmented batch, one array entry per view (in the batch's order).
///
/// Feeding them back to `AugmentationPipeline.apply(_:parameters:)` reproduces the augmented images, and
/// `styleTargets()` turns them into regression targets for style probes. Identity values: crop centre 0.5, crop
/// size 1, no flips, brightness / contrast / saturation 1, hue 0, no grayscale, blur sigma 0.
public struct AugmentationParameters: Sendable, Equatable {
    /// Horizontal centre of the crop box, as a fraction of the input width (0 left edge, 1 right edge).
    public var cropCentreX: [Double]
    /// Vertical centre of the crop box, as a fraction of the input height (0 top edge, 1 bottom edge).
    public var cropCentreY: [Double]
    /// Width of the crop box, as a fraction of the input width.
    public var cropWidth: [Double]
    /// Height of the crop box, as a fraction of the input height.
    public var cropHeight: [Double]
    /// Whether the view is mirrored left–right.
    public var horizontalFlip: [Bool]
    /// Whether the view is mirrored top–bottom.
    public var verticalFlip: [Bool]
    /// Brightness factor (1 = unchanged).
    public var brightness: [Double]
    /// Contrast factor (1 = unchanged).
    public var contrast: [Double]
    /// Saturation factor (1 = unchanged).
    public var saturation: [Double]
    /// Hue shift as a fraction of the colour circle, in [-0.5, 0.5] (0 = unchanged).
    public var hue: [Double]
    /// The order in which the four colour adjustments run, as a permutation of `ColorJitter.Adjustment` raw values.
    public var jitterOrder: [[Int]]
    /// Whether the view was turned grey.
    public var grayscale: [Bool]
    /// Standard deviation of the Gaussian blur in input pixels (0 = no blur).
    public var blurSigma: [Double]

    /// The parameters that leave `count` views unchanged.
    public static func identity(count: Int) -> AugmentationParameters {
        AugmentationParameters(
            cropCentreX: Array(repeating: 0.5, count: count), cropCentreY: Array(repeating: 0.5, count: count),
            cropWidth: Array(repeating: 1, count: count), cropHeight: Array(repeating: 1, count: count),
            horizontalFlip: Array(repeating: false, count: count), verticalFlip: Array(repeating: false, count: count),
            brightness: Array(repeating: 1, count: count), contrast: Array(repeating: 1, count: count),
            saturation: Array(repeating: 1, count: count), hue: Array(repeating: 0, count: count),
            jitterOrder: Array(repeating: ColorJitter.Adjustment.allCases.map(\.rawValue), count: count),
            grayscale: Array(repeating: false, count: count), blurSigma: Array(repeating: 0, count: count))
    }

    /// The number of views described.
    public var count: Int { cropCentreX.count }

    /// The parameters of the views in `range` only.
    public func views(_ range: Range<Int>) -> AugmentationParameters {
        AugmentationParameters(
            cropCentreX: Array(cropCentreX[range]), cropCentreY: Array(cropCentreY[range]),
            cropWidth: Array(cropWidth[range]), cropHeight: Array(cropHeight[range]),
            horizontalFlip: Array(horizontalFlip[range]), verticalFlip: Array(verticalFlip[range]),
            brightness: Array(brightness[range]), contrast: Array(contrast[range]),
            saturation: Array(saturation[range]), hue: Array(hue[range]), jitterOrder: Array(jitterOrder[range]),
            grayscale: Array(grayscale[range]), blurSigma: Array(blurSigma[range]))
    }

    /// The crop area as a fraction of the input area.
    public var cropScale: [Double] { zip(cropWidth, cropHeight).map { $0 * $1 } }

    /// The crop's aspect ratio (width / height) in input pixels, given the input's size.
    public func cropAspect(inputHeight: Int, inputWidth: Int) -> [Double] {
        zip(cropWidth, cropHeight).map { $0 * Double(inputWidth) / ($1 * Double(inputHeight)) }
    }

    /// The names of the columns of `styleTargets(inputHeight:inputWidth:)`, in order.
    public static let styleTargetNames = [
        "crop_centre_x", "crop_centre_y", "crop_scale", "crop_log_aspect", "horizontal_flip", "vertical_flip",
        "brightness", "contrast", "saturation", "hue", "grayscale", "blur_sigma",
    ]

    /// The style of every view as a float32 tensor [count, 12], columns named by `styleTargetNames` (flags as 0/1,
    /// the aspect ratio as its logarithm so that 3:4 and 4:3 lie symmetric about 0).
    public func styleTargets(inputHeight: Int, inputWidth: Int) -> Tensor {
        let aspect = cropAspect(inputHeight: inputHeight, inputWidth: inputWidth)
        let scale = cropScale
        var rows: [Float] = []
        rows.reserveCapacity(count * Self.styleTargetNames.count)
        for view in 0 ..< count {
            let row: [Double] = [
                cropCentreX[view], cropCentreY[view], scale[view], log(aspect[view]),
                horizontalFlip[view] ? 1 : 0, verticalFlip[view] ? 1 : 0, brightness[view], contrast[view],
                saturation[view], hue[view], grayscale[view] ? 1 : 0, blurSigma[view],
            ]
            rows += row.map(Float.init)
        }
        return Tensor(rows, shape: [count, Self.styleTargetNames.count])
    }
}
