extension ImageSet {
    /// The images at the indices in `range` (clamped to the set), with their labels and attributes.
    public func rows(_ range: Range<Int>) -> ImageSet {
        let range = range.clamped(to: 0..<count)
        var attributes = self.attributes
        if let all = attributes {
            let width = all.names.count
            attributes = ImageAttributes(names: all.names,
                                         values: Array(all.values[range.lowerBound * width ..< range.upperBound * width]))
        }
        return ImageSet(pixels: Array(pixels[range.lowerBound * imageByteCount ..< range.upperBound * imageByteCount]),
                        count: range.count, channels: channels, height: height, width: width,
                        labels: Array(labels[range]), classNames: classNames, attributes: attributes)
    }
}
