import CTorch

/// libtorch's automatic mixed precision: inside `Autocast.run`, the operators that profit from it (matrix products,
/// convolutions, linear layers) compute in a lower-precision type on one device type, while precision-sensitive
/// operators (sums, exponentials, losses) keep float32. Parameters keep their own type; backward passes should run
/// outside the region, as in PyTorch.
public enum Autocast {
    /// Runs `body` with autocast to `dtype` (`.bfloat16` or `.float16`) on `device`'s type, then restores the
    /// previous autocast state of that device type; the weights cast inside the outermost region are dropped when it
    /// ends. With `dtype` nil, `body` runs unchanged.
    /// - Throws: a `TorchError` when libtorch refuses the type for that device, or what `body` throws.
    public static func run<Result>(on device: Device, to dtype: DType?,
                                   _ body: () throws -> Result) throws -> Result {
        guard let dtype else { return try body() }
        let code = deviceTypeCode(device)
        let wasEnabled = ct_autocast_is_enabled(code)
        let previousType = ct_autocast_dtype(code)
        guard ct_autocast_set_dtype(code, dtype.rawValue) == 0, ct_autocast_set_enabled(code, true) == 0 else {
            let message = ct_last_error().map { String(cString: $0) } ?? "autocast could not be enabled"
            ct_autocast_set_dtype(code, previousType)
            throw TorchError("autocast to \(dtype) on \(device): \(message)")
        }
        ct_autocast_increment_nesting()
        defer {
            if ct_autocast_decrement_nesting() == 0 { ct_autocast_clear_cache() }
            ct_autocast_set_enabled(code, wasEnabled)
            ct_autocast_set_dtype(code, previousType)
        }
        return try body()
    }

    /// Whether autocast is on for `device`'s type on this thread.
    public static func isEnabled(on device: Device) -> Bool { ct_autocast_is_enabled(deviceTypeCode(device)) }

    /// The shim's device type code: 0 for the CPU, 1 for CUDA.
    private static func deviceTypeCode(_ device: Device) -> Int32 { device == .cpu ? 0 : 1 }
}
