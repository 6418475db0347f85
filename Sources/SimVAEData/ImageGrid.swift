/// Tiles images into one picture, for reconstruction and sample grids.
public enum ImageGrid {
    /// Lays out `count` channel-first images (N×C×H×W bytes) in rows of `columns`, with `padding` pixels of
    /// `background` around and between them (as torchvision's `make_grid` does).
    public static func tile(pixels: [UInt8], count: Int, channels: Int, height: Int, width: Int,
                            columns: Int = 8, padding: Int = 2, background: UInt8 = 0) -> Bitmap {
        precondition(pixels.count == count * channels * height * width, "pixel count does not match N×C×H×W")
        let columns = max(1, min(columns, count))
        let rows = (count + columns - 1) / columns
        let gridWidth = columns * (width + padding) + padding
        let gridHeight = rows * (height + padding) + padding
        var grid = [UInt8](repeating: background, count: gridWidth * gridHeight * channels)
        let plane = height * width
        for index in 0 ..< count {
            let left = padding + (index % columns) * (width + padding)
            let top = padding + (index / columns) * (height + padding)
            let base = index * plane * channels
            for c in 0 ..< channels {
                for y in 0 ..< height {
                    for x in 0 ..< width {
                        grid[((top + y) * gridWidth + left + x) * channels + c] = pixels[base + c * plane + y * width + x]
                    }
                }
            }
        }
        return Bitmap(pixels: grid, width: gridWidth, height: gridHeight, channels: channels)
    }

    /// Tiles the first `limit` images of a set (all by default).
    public static func tile(_ set: ImageSet, limit: Int? = nil, columns: Int = 8, padding: Int = 2) -> Bitmap {
        let shown = set.prefix(limit)
        return tile(pixels: shown.pixels, count: shown.count, channels: shown.channels, height: shown.height,
                    width: shown.width, columns: columns, padding: padding)
    }
}
