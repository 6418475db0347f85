import Torch

/// Colour-space conversions of float image batches [N, C, H, W] with values in [0, 1], as tensor arithmetic
/// (following torchvision's tensor implementations, so that results match it).
enum ColorSpace {
    /// The luma of RGB images (ITU-R 601-2 weights, as torchvision), [N, 1, H, W]; grey images are returned as is.
    static func luma(_ images: Tensor) -> Tensor {
        guard images.size(1) == 3 else { return images }
        let (red, green, blue) = channels(images)
        return red * 0.2989 + green * 0.587 + blue * 0.114
    }

    /// Hue (fraction of the colour circle in [0, 1)), saturation and value of RGB images, each [N, 1, H, W].
    static func hsv(fromRGB images: Tensor) -> (hue: Tensor, saturation: Tensor, value: Tensor) {
        let (red, green, blue) = channels(images)
        let maximum = images.max(dim: 1, keepDims: true).values
        let minimum = images.min(dim: 1, keepDims: true).values
        let grey = maximum .== minimum
        let chroma = maximum - minimum
        let ones = maximum.onesLike()
        let saturation = chroma / Tensor.where(grey, ones, maximum)
        let divisor = Tensor.where(grey, ones, chroma)
        let redDistance = (maximum - red) / divisor
        let greenDistance = (maximum - green) / divisor
        let blueDistance = (maximum - blue) / divisor
        let redIsMax = maximum .== red
        let greenIsMax = (maximum .== green).logicalAnd(redIsMax.logicalNot())
        let blueIsMax = redIsMax.logicalOr(greenIsMax).logicalNot()
        let hue = redIsMax * (blueDistance - greenDistance)
            + greenIsMax * (redDistance - blueDistance + 2)
            + blueIsMax * (greenDistance - redDistance + 4)
        return (fraction(hue / 6 + 1), saturation, maximum)
    }

    /// RGB images [N, 3, H, W] from hue, saturation and value, each [N, 1, H, W].
    static func rgb(hue: Tensor, saturation: Tensor, value: Tensor) -> Tensor {
        let scaled = hue * 6
        let sector = scaled.floor()
        let offset = scaled - sector
        let wrapped = sector - (sector / 6).floor() * 6
        let p = (value * (1 - saturation)).clamped(min: 0, max: 1)
        let q = (value * (1 - saturation * offset)).clamped(min: 0, max: 1)
        let t = (value * (1 - saturation * (1 - offset))).clamped(min: 0, max: 1)
        let candidates = Tensor.cat([value, p, q, t], dim: 1)
        let shape = hue.shape
        let choice = sectorTable(device: hue.device).indexSelect(dim: 0, wrapped.flattened().long)
            .reshaped([shape[0], shape[2], shape[3], 3]).permuted([0, 3, 1, 2]).contiguous()
        return candidates.gathered(dim: 1, choice)
    }

    /// For each of the six hue sectors, which of (value, p, q, t) gives red, green and blue.
    private static func sectorTable(device: Device) -> Tensor {
        let table: [Int64] = [0, 3, 1, 2, 0, 1, 1, 0, 3, 1, 2, 0, 3, 1, 0, 0, 1, 2]
        return Tensor(table, shape: [6, 3]).to(device)
    }

    /// The red, green and blue planes of RGB images, each [N, 1, H, W].
    private static func channels(_ images: Tensor) -> (Tensor, Tensor, Tensor) {
        (images.narrowed(dim: 1, start: 0, length: 1), images.narrowed(dim: 1, start: 1, length: 1),
         images.narrowed(dim: 1, start: 2, length: 1))
    }

    /// x − ⌊x⌋.
    static func fraction(_ values: Tensor) -> Tensor { values - values.floor() }
}
