import Torch

extension ImageSet {
    /// All pixels as one uint8 tensor [N, C, H, W] on the CPU (a single copy of `pixels`).
    public func pixelTensor() -> Tensor {
        pixels.withUnsafeBytes { Tensor(copying: $0, shape: shape, dtype: .uint8) }
    }
}
