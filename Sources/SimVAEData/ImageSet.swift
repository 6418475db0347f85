/// Per-image binary attributes, e.g. CelebA's 40 attributes valued -1 or +1.
public struct ImageAttributes: Sendable, Equatable {
    /// The attribute names, in column order.
    public var names: [String]
    /// The values, laid out row-major: image `i`, attribute `j` at `values[i * names.count + j]`.
    public var values: [Int8]

    /// Creates attributes from names and row-major values (`values.count` must be a multiple of `names.count`).
    public init(names: [String], values: [Int8]) {
        precondition(names.isEmpty ? values.isEmpty : values.count % names.count == 0,
                     "attribute values do not fill whole rows")
        self.names = names
        self.values = values
    }

    /// The values of one image, in the order of `names`.
    public func row(_ index: Int) -> ArraySlice<Int8> {
        values[index * names.count ..< (index + 1) * names.count]
    }
}

/// A set of decoded 8-bit images in memory, laid out N×C×H×W (channel-first, as PyTorch expects), with their labels.
///
/// This is the single currency of the data layer: every reader returns one, and the tensor conversion is a single copy
/// of `pixels`.
public struct ImageSet: Sendable, Equatable {
    /// All pixels, image after image, each image channel after channel, each channel row after row.
    public var pixels: [UInt8]
    /// The number of images.
    public var count: Int
    /// Channels per image: 1 (grey) or 3 (RGB).
    public var channels: Int
    /// Image height in pixels.
    public var height: Int
    /// Image width in pixels.
    public var width: Int
    /// One class index per image, in `0 ..< classNames.count`.
    public var labels: [Int]
    /// The class names, indexed by label.
    public var classNames: [String]
    /// Optional per-image binary attributes (CelebA), `nil` for datasets without them.
    public var attributes: ImageAttributes?

    /// Creates an image set; the sizes must agree (`pixels.count == count·channels·height·width`,
    /// `labels.count == count`), which the readers guarantee after validating their files.
    public init(pixels: [UInt8], count: Int, channels: Int, height: Int, width: Int,
                labels: [Int], classNames: [String], attributes: ImageAttributes? = nil) {
        precondition(pixels.count == count * channels * height * width, "pixel count does not match N×C×H×W")
        precondition(labels.count == count, "one label per image is required")
        self.pixels = pixels
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.labels = labels
        self.classNames = classNames
        self.attributes = attributes
    }

    /// Bytes per image: `channels · height · width`.
    public var imageByteCount: Int { channels * height * width }

    /// The shape `[N, C, H, W]`, as a tensor will have it.
    public var shape: [Int] { [count, channels, height, width] }

    /// The pixels of one image, C×H×W.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        pixels[index * imageByteCount ..< (index + 1) * imageByteCount]
    }

    /// How many images each class has, indexed by label.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels where counts.indices.contains(label) { counts[label] += 1 }
        return counts
    }

    /// The first `limit` images (all of them when `limit` is `nil` or not smaller than `count`), for `--limit N`.
    public func prefix(_ limit: Int?) -> ImageSet {
        guard let limit, limit < count else { return self }
        return rows(0..<max(0, limit))
    }
}
