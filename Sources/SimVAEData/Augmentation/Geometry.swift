import Torch

/// Crops, flips and resizing as one affine map per view, run as `affine_grid` + bilinear `grid_sample`
/// (align_corners false, border padding: exactly a crop of the box followed by a bilinear resize, as PIL does).
enum Geometry {
    /// Resamples `images` [N, C, H, W] to [N, C, height, width] through each view's crop box and flips.
    static func apply(_ images: Tensor, parameters: AugmentationParameters, height: Int, width: Int) -> Tensor {
        let grid = Functional.affineGrid(theta(parameters).to(images.device),
                                         size: [images.size(0), images.size(1), height, width])
        return Functional.gridSample(images, grid: grid, mode: .bilinear, padding: .border)
    }

    /// The [N, 2, 3] matrices taking output coordinates in [-1, 1] to input coordinates: the crop box's half-size
    /// (negated for a flip) on the diagonal, its centre in the last column.
    static func theta(_ parameters: AugmentationParameters) -> Tensor {
        var values: [Float] = []
        values.reserveCapacity(parameters.count * 6)
        for view in 0 ..< parameters.count {
            let scaleX = parameters.cropWidth[view] * (parameters.horizontalFlip[view] ? -1 : 1)
            let scaleY = parameters.cropHeight[view] * (parameters.verticalFlip[view] ? -1 : 1)
            let centreX = 2 * parameters.cropCentreX[view] - 1, centreY = 2 * parameters.cropCentreY[view] - 1
            values += [scaleX, 0, centreX, 0, scaleY, centreY].map(Float.init)
        }
        return Tensor(values, shape: [parameters.count, 2, 3])
    }
}
