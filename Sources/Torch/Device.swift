import CTorch

/// Where a tensor's memory lives.
public enum Device: Equatable, Hashable, Sendable, CustomStringConvertible {
    case cpu
    /// A CUDA GPU by index; usable only with a CUDA build of libtorch.
    case cuda(Int)

    /// Whether this libtorch can use a CUDA GPU.
    public static var isCUDAAvailable: Bool { ct_cuda_available() }

    /// Number of CUDA GPUs libtorch sees.
    public static var cudaDeviceCount: Int { Int(ct_cuda_device_count()) }

    /// The best device available: the first GPU when there is one, else the CPU.
    public static var best: Device { isCUDAAvailable ? .cuda(0) : .cpu }

    /// Parses `cpu`, `cuda` or `cuda:N`.
    public init?(parsing text: String) {
        if text == "cpu" {
            self = .cpu
        } else if text == "cuda" {
            self = .cuda(0)
        } else if text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 {
            self = .cuda(index)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let index): "cuda:\(index)"
        }
    }
}
