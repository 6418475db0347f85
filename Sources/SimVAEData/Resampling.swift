extension Bitmap {
    /// The image centre-cropped to the aspect ratio of `height`×`width`, then resized to that size by area
    /// averaging (an exact box filter: each output pixel is the mean of the source area it covers), returned
    /// channel-first (C×H×W) ready for an `ImageSet`.
    ///
    /// The crop is the largest centred rectangle with the target aspect ratio: for a 178×218 CelebA image and a
    /// 64×64 target it is the centred 178×178 square (rows 20 … 197), then shrunk by 178/64. Upscaling degrades to
    /// nearest-neighbour sampling, which keeps pixel values exact.
    public func croppedAndResizedPlanar(height targetHeight: Int, width targetWidth: Int) -> [UInt8] {
        // Compare aspect ratios exactly with integers: width/height against targetWidth/targetHeight.
        var cropWidth = width, cropHeight = height
        if width * targetHeight > targetWidth * height {
            cropWidth = max(1, (height * targetWidth + targetHeight / 2) / targetHeight)
        } else {
            cropHeight = max(1, (width * targetHeight + targetWidth / 2) / targetWidth)
        }
        let rows = Self.areaTaps(offset: (height - cropHeight) / 2, length: cropHeight, target: targetHeight)
        let columns = Self.areaTaps(offset: (width - cropWidth) / 2, length: cropWidth, target: targetWidth)
        let plane = targetHeight * targetWidth
        var output = [UInt8](repeating: 0, count: plane * channels)
        for y in 0 ..< targetHeight {
            for x in 0 ..< targetWidth {
                for c in 0 ..< channels {
                    var sum = 0.0
                    for (sourceY, weightY) in rows[y] {
                        for (sourceX, weightX) in columns[x] {
                            sum += weightY * weightX * Double(pixels[(sourceY * width + sourceX) * channels + c])
                        }
                    }
                    output[c * plane + y * targetWidth + x] = UInt8(min(255, sum + 0.5))
                }
            }
        }
        return output
    }

    /// For each output index, the source indices it covers and their weights (summing to 1).
    private static func areaTaps(offset: Int, length: Int, target: Int) -> [[(Int, Double)]] {
        let scale = Double(length) / Double(target)
        return (0 ..< target).map { index in
            let start = Double(index) * scale, end = Double(index + 1) * scale
            guard scale > 1 else { return [(offset + min(length - 1, Int(start + scale / 2)), 1)] }
            return (Int(start) ..< min(length, Int(end.rounded(.up)))).compactMap { source in
                let overlap = min(end, Double(source + 1)) - max(start, Double(source))
                return overlap > 1e-9 ? (offset + source, overlap / scale) : nil
            }
        }
    }
}
