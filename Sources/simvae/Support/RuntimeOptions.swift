import ArgumentParser
import SimVAEMethods
import Torch

/// Options every compute command shares.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "Intra-op threads for libtorch (default: all active cores; at most \(RuntimeOptions.maximumThreads)).")
    var threads: Int?
    @OptionGroup var compute: ComputeOptions

    /// The most threads accepted (libtorch would try to start a million threads if asked).
    static let maximumThreads = Runtime.maximumThreadCount

    func validate() throws {
        if let threads, !(1...RuntimeOptions.maximumThreads).contains(threads) {
            throw ValidationError("--threads must be between 1 and \(RuntimeOptions.maximumThreads), got \(threads).")
        }
    }

    /// Applies the thread count and resolves the device and precision; call first in `run()`.
    /// - Throws: a `ValidationError` for `--threads`; an exit after one line naming `--device` or `--precision`
    ///   when this libtorch or machine cannot honour them.
    @discardableResult
    func apply() throws -> ComputeSettings {
        do {
            try Runtime.setThreadCount(threads ?? Swift.min(Runtime.availableCores, Runtime.maximumThreadCount))
        } catch {
            throw ValidationError("--threads: \(error)")
        }
        return try compute.resolved()
    }
}

/// `--device` and `--precision`, shared by the compute commands and passed on by `simvae experiment` to its runs.
struct ComputeOptions: ParsableArguments {
    @Option(help: "Where to compute: auto (the first GPU when libtorch has CUDA, else the CPU), cpu, cuda or cuda:N.")
    var device = "auto"
    @Option(help: ArgumentHelp("Forward-pass precision: fp32, bf16 or fp16 (CUDA only, with loss scaling); default "
        + "bf16 on a GPU that supports it, fp32 on the CPU. Parameters and optimizer state stay fp32."))
    var precision: Precision?

    func validate() throws {
        guard device == "auto" || Device(parsing: device) != nil else {
            throw ValidationError("--device: '\(device)' is not one of auto, cpu, cuda or cuda:N.")
        }
    }

    /// The device and precision these flags name on this machine.
    /// - Throws: an exit after one line on standard error naming the flag and what was found.
    func resolved() throws -> ComputeSettings {
        var settings = ComputeSettings.cpu
        try reportingErrors { settings = try ComputeSettings.resolve(deviceName: device, precision: precision) }
        return settings
    }

    /// The flags as a child `simvae` process takes them.
    var arguments: [String] { ["--device", device] + (precision.map { ["--precision", $0.rawValue] } ?? []) }
}

extension Precision: ExpressibleByArgument {}
