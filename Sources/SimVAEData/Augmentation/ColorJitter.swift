import Torch

/// Random changes of brightness, contrast, saturation and hue, applied in a random order per view (torchvision's
/// `ColorJitter`, optionally inside `RandomApply` with `probability`).
public struct ColorJitter: Sendable, Equatable {
    /// The four adjustments, whose raw values `AugmentationParameters.jitterOrder` lists.
    public enum Adjustment: Int, Sendable, CaseIterable {
        case brightness, contrast, saturation, hue
    }

    /// Brightness factors are drawn from [max(0, 1 − brightness), 1 + brightness].
    public var brightness: Double
    /// Contrast factors are drawn from [max(0, 1 − contrast), 1 + contrast].
    public var contrast: Double
    /// Saturation factors are drawn from [max(0, 1 − saturation), 1 + saturation].
    public var saturation: Double
    /// Hue shifts are drawn from [−hue, hue], as a fraction of the colour circle (at most 0.5).
    public var hue: Double
    /// The chance that a view is jittered at all.
    public var probability: Double

    /// Creates a jitter with the given strengths, applied with `probability` (1 by default).
    public init(brightness: Double, contrast: Double, saturation: Double, hue: Double, probability: Double = 1) {
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.probability = probability
    }

    /// Throws unless the strengths are non-negative and the hue strength is at most 0.5.
    func validate() throws {
        guard [brightness, contrast, saturation, hue].allSatisfy({ $0 >= 0 }), hue <= 0.5 else {
            throw DataError("colour jitter strengths must be non-negative and hue at most 0.5, got brightness "
                + "\(brightness), contrast \(contrast), saturation \(saturation), hue \(hue)")
        }
    }

    /// Draws one view's order and factors into `parameters[view]` (left at identity when the view is not jittered).
    func sample(into parameters: inout AugmentationParameters, view: Int, using random: inout SplitMix64) {
        guard random.chance(probability) else { return }
        parameters.jitterOrder[view] = random.permutation(of: Adjustment.allCases.count)
        func factor(_ strength: Double) -> Double {
            strength > 0 ? random.uniform(max(0, 1 - strength) ... 1 + strength) : 1
        }
        parameters.brightness[view] = factor(brightness)
        parameters.contrast[view] = factor(contrast)
        parameters.saturation[view] = factor(saturation)
        parameters.hue[view] = hue > 0 ? random.uniform(-hue ... hue) : 0
    }

    /// Applies every view's adjustments in its own order. Views are grouped per step by the adjustment they take,
    /// so each step costs about one adjustment of the whole batch; identity factors are skipped.
    static func apply(_ images: Tensor, parameters: AugmentationParameters) -> Tensor {
        var result = images
        for step in Adjustment.allCases.indices {
            let input = result
            for adjustment in Adjustment.allCases {
                let factors = parameters.factors(of: adjustment)
                let rows = (0 ..< parameters.count).filter { view in
                    parameters.jitterOrder[view][step] == adjustment.rawValue
                        && factors[view] != (adjustment == .hue ? 0 : 1)
                }
                guard !rows.isEmpty else { continue }
                let selected = Tensor.perView(rows.map { factors[$0] }, device: images.device)
                result = result.replacingRows(rows, with: adjust(input.rows(rows), adjustment, by: selected))
            }
        }
        return result
    }

    /// One adjustment of images [n, C, H, W] by per-view factors [n, 1, 1, 1] (torchvision's formulas).
    static func adjust(_ images: Tensor, _ adjustment: Adjustment, by factors: Tensor) -> Tensor {
        let colour = images.size(1) == 3
        switch adjustment {
        case .brightness:
            return (images * factors).clamped(min: 0, max: 1)
        case .contrast:
            return blend(images, ColorSpace.luma(images).mean(dims: [1, 2, 3], keepDims: true), factors)
        case .saturation:
            return colour ? blend(images, ColorSpace.luma(images), factors) : images
        case .hue:
            guard colour else { return images }
            let (hue, saturation, value) = ColorSpace.hsv(fromRGB: images)
            return ColorSpace.rgb(hue: ColorSpace.fraction(hue + factors), saturation: saturation, value: value)
        }
    }

    /// factor · image + (1 − factor) · other, clamped to [0, 1].
    private static func blend(_ images: Tensor, _ other: Tensor, _ factors: Tensor) -> Tensor {
        (other + factors * (images - other)).clamped(min: 0, max: 1)
    }
}

extension AugmentationParameters {
    /// The per-view factors of one colour adjustment.
    func factors(of adjustment: ColorJitter.Adjustment) -> [Double] {
        switch adjustment {
        case .brightness: brightness
        case .contrast: contrast
        case .saturation: saturation
        case .hue: hue
        }
    }
}
