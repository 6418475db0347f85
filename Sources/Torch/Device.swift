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

/// A CUDA GPU of this machine, as the NVIDIA driver describes it.
public struct GPUDescription: Equatable, Sendable {
    /// The index `Device.cuda(_:)` takes (the driver and libtorch order GPUs the same way, honouring
    /// `CUDA_VISIBLE_DEVICES`).
    public let index: Int
    /// The product name, e.g. "NVIDIA H100 80GB HBM3".
    public let name: String
    /// Total device memory in bytes.
    public let memoryBytes: Int
    /// The compute capability, e.g. "9.0".
    public let computeCapability: String
}

/// What the NVIDIA driver reports: its CUDA version and the GPUs it sees.
public struct GPUInventory: Equatable, Sendable {
    /// The newest CUDA runtime the driver supports, e.g. "12.4".
    public let driverCUDAVersion: String
    /// The GPUs, in `Device.cuda(_:)` order; empty when the driver sees none.
    public let gpus: [GPUDescription]

    /// Asks the NVIDIA driver, whether or not this libtorch has CUDA.
    /// - Throws: a `TorchError` saying why it cannot: no driver installed, or the driver failing.
    public static func current() throws -> GPUInventory {
        let (version, gpus) = try CUDADriver.inventory()
        return GPUInventory(driverCUDAVersion: CUDAVersion.text(ofRuntime: version), gpus: gpus)
    }
}
