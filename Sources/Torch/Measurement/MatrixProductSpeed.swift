/// The speed of matrix products on a device, the yardstick of the benchmarks and of the choice of a precision.
public enum MatrixProductSpeed {
    /// GFLOP/s of an n×n×n matrix product of `dtype` on `device`, best of `repeats` after one untimed product.
    public static func gigaflops(size n: Int = 2048, repeats: Int = 5, device: Device = .cpu,
                                 dtype: DType = .float32) -> Double {
        let a = Tensor.rand([n, n], dtype: dtype, device: device), b = Tensor.rand([n, n], dtype: dtype, device: device)
        _ = a.matmul(b)
        synchronize(device)
        let seconds = Stopwatch.best(of: repeats) {
            _ = a.matmul(b)
            synchronize(device)
        }
        return 2 * Double(n * n * n) / seconds / 1e9
    }

    /// How many times faster a bfloat16 matrix product is than a float32 one on the CPU, at the current thread
    /// count (about 2.5 on a CPU with bfloat16 dot-product instructions, well below 1 where bfloat16 is emulated).
    /// Takes some tens of milliseconds.
    public static func cpuBFloat16Speedup(size: Int = 512) -> Double {
        gigaflops(size: size, repeats: 5, dtype: .bfloat16) / gigaflops(size: size, repeats: 5, dtype: .float32)
    }

    /// Returns once the work queued on `device` is done: reading a value back to the host waits for every kernel
    /// queued before it on a GPU; the CPU computes synchronously, so there is nothing to wait for.
    public static func synchronize(_ device: Device) {
        if case .cuda = device { _ = Tensor(zeros: [1], device: device).item }
    }
}
