import Torch

/// Where and in which precision a command computes: a runtime choice, never part of `config.json`, so a run
/// trained on a GPU continues on a CPU and the other way round (checkpoints hold CPU tensors either way).
public struct ComputeSettings: Sendable, Equatable, CustomStringConvertible {
    /// The device the model, the data and the optimizer state live on.
    public var device: Device
    /// The precision of the forward passes.
    public var precision: Precision
    /// Whether the trainer leaves each step's losses on the device until a metric is logged or the epoch ends,
    /// instead of reading them every step: on a GPU (where a read waits for the queued work), not on the CPU.
    /// Tests set it on the CPU to exercise the GPU's bookkeeping.
    var defersLossReads: Bool
    /// Whether convolution weights and image batches are laid out channels-last. Off by default: on the CPU
    /// (libtorch 1.13, 2 threads, the authors' 32 px SimVAE step, 128 images, J = 2) it ran at 298, 225 and
    /// 246 images/s against 288, 283 and 318 contiguous, in alternating rounds; it is untested on a GPU, where it
    /// may pay off for convolutions in reduced precision.
    public var channelsLast = false

    /// Settings for `device` and `precision`.
    public init(device: Device = .cpu, precision: Precision = .fp32) {
        self.device = device
        self.precision = precision
        defersLossReads = device != .cpu
    }

    /// The CPU in float32: what every command did before devices could be chosen.
    public static let cpu = ComputeSettings()

    /// Resolves the `--device` and `--precision` flags against the CUDA support libtorch reports.
    ///
    /// - Parameters:
    ///   - deviceName: `auto` (the first GPU when libtorch has CUDA, else the CPU), `cpu`, `cuda` or `cuda:N`.
    ///   - precision: the precision asked for, or nil for the device's default (`Precision.default(on:)`).
    ///   - cudaAvailable, gpuCount: what libtorch reports (parameters so that tests can stand in for a GPU).
    /// - Throws: `ConfigurationError`, one sentence naming the flag and what was found.
    public static func resolve(deviceName: String, precision: Precision?,
                               cudaAvailable: Bool = Device.isCUDAAvailable,
                               gpuCount: Int = Device.cudaDeviceCount) throws -> ComputeSettings {
        let device: Device
        if deviceName == "auto" {
            device = cudaAvailable && gpuCount > 0 ? .cuda(0) : .cpu
        } else if let parsed = Device(parsing: deviceName) {
            device = parsed
        } else {
            throw ConfigurationError("--device: '\(deviceName)' is not one of auto, cpu, cuda or cuda:N")
        }
        if case .cuda(let index) = device {
            guard cudaAvailable else {
                throw ConfigurationError("--device \(deviceName): this libtorch has no CUDA (\(Runtime.version), "
                    + "built for the CPU only); use --device cpu or link a CUDA build of libtorch")
            }
            guard index < gpuCount else {
                let found = gpuCount == 0 ? "no GPU found"
                    : gpuCount == 1 ? "only 1 GPU (cuda:0) found" : "only \(gpuCount) GPUs (cuda:0 to cuda:\(gpuCount - 1)) found"
                throw ConfigurationError("--device \(deviceName): \(found)")
            }
        }
        let chosen = precision ?? Precision.default(on: device)
        if chosen == .fp16 && device == .cpu {
            throw ConfigurationError("--precision fp16 needs a CUDA GPU (libtorch's CPU autocast has no float16); "
                + "on the CPU use bf16 or fp32")
        }
        return ComputeSettings(device: device, precision: chosen)
    }

    public var description: String { "\(device), \(precision.rawValue)" }
}

/// The precision of the forward passes. Parameters, gradients and optimizer state stay float32 in every case,
/// and the objectives reduce their losses (ELBO terms, entropies, priors) in float32.
public enum Precision: String, Sendable, Codable, CaseIterable {
    /// Everything in float32.
    case fp32
    /// Autocast to bfloat16: matrix products and convolutions in bfloat16, on a GPU or the CPU.
    case bf16
    /// Autocast to float16 with dynamic loss scaling (`LossScaler`); CUDA only.
    case fp16

    /// The type autocast computes in, or nil for float32.
    public var autocastType: DType? {
        switch self {
        case .fp32: nil
        case .bf16: .bfloat16
        case .fp16: .float16
        }
    }

    /// bf16 on a GPU that computes in bfloat16, fp32 on the CPU (or a GPU that does not).
    public static func `default`(on device: Device) -> Precision {
        device != .cpu && supportsBFloat16(device) ? .bf16 : .fp32
    }

    /// Whether `device` runs a bfloat16 matrix product (GPUs before compute capability 8.0 fail it).
    private static func supportsBFloat16(_ device: Device) -> Bool {
        let probe = try? Tensor.checking {
            let a = Tensor(ones: [8, 8], dtype: .bfloat16, device: device)
            return a.matmul(a).float.sum().item
        }
        return probe == 64
    }
}
