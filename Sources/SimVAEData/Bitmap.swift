/// One image with interleaved channels (H×W×C, row after row), the way codecs read and write it.
public struct Bitmap: Sendable, Equatable {
    /// The pixels: row `y`, column `x`, channel `c` at `pixels[(y * width + x) * channels + c]`.
    public var pixels: [UInt8]
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Channels: 1 (grey) or 3 (RGB).
    public var channels: Int

    /// Creates a bitmap; `pixels.count` must be `width · height · channels`.
    public init(pixels: [UInt8], width: Int, height: Int, channels: Int) {
        precondition(pixels.count == width * height * channels, "pixel count does not match H×W×C")
        self.pixels = pixels
        self.width = width
        self.height = height
        self.channels = channels
    }

    /// Creates a bitmap from one channel-first (C×H×W) image, e.g. `ImageSet.image(_:)`.
    public init(planar: ArraySlice<UInt8>, channels: Int, height: Int, width: Int) {
        let plane = height * width
        var pixels = [UInt8](repeating: 0, count: plane * channels)
        let base = planar.startIndex
        for c in 0 ..< channels {
            for i in 0 ..< plane { pixels[i * channels + c] = planar[base + c * plane + i] }
        }
        self.init(pixels: pixels, width: width, height: height, channels: channels)
    }
}
