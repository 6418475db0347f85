import SimVAEData
import Torch

/// Writes image tensors as PNG grids.
public enum ImageExport {
    /// Saves images [N, C, H, W] with values in [0, 1] as one PNG grid of `columns` columns.
    public static func writeGrid(_ images: Tensor, columns: Int = 8, to path: String) throws {
        let shape = images.shape
        precondition(shape.count == 4, "an image grid needs [N, C, H, W] images, got \(shape)")
        let bytes = (images.detached().clamped(min: 0, max: 1) * 255).rounded().to(.uint8).scalars(as: UInt8.self)
        let grid = ImageGrid.tile(pixels: bytes, count: shape[0], channels: shape[1], height: shape[2],
                                  width: shape[3], columns: columns)
        try PNG.write(grid, to: path)
    }

    /// Originals in the upper rows, their reconstructions in the rows below (`columns` images per row).
    /// `reconstruct` maps images to reconstructions of the same shape (run without gradients).
    public static func writeReconstructions(of images: Tensor, columns: Int = 8, to path: String,
                                            reconstruct: (Tensor) throws -> Tensor) throws {
        // Fewer images than a row: one shorter row.
        let columns = Swift.max(1, Swift.min(columns, images.size(0)))
        let rows = images.size(0) / columns
        guard rows > 0 else { return }
        let originals = images[0..<(rows * columns)]
        let reconstructions = try withNoGrad { try reconstruct(originals) }
        var pieces: [Tensor] = []
        for row in 0..<rows {
            pieces.append(originals[(row * columns)..<((row + 1) * columns)])
            pieces.append(reconstructions[(row * columns)..<((row + 1) * columns)])
        }
        try writeGrid(Tensor.cat(pieces), columns: columns, to: path)
    }
}
