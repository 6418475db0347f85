import ArgumentParser
import Foundation
import SimVAEData
import Torch

/// `simvae doctor`: what this installation found — the first thing to run when something is off.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the libtorch found (version and origin), threads, OpenMP, BLAS, CUDA, cuDNN, the GPUs "
            + "and the datasets found.")

    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Also look for datasets in this folder.")
    var dataDir: String?

    func validate() throws {
        if let dataDir { try PathOption.validate(dataDir, flag: "--data-dir") }
    }

    func run() throws {
        try runtime.apply()
        // A small matmul makes libtorch load its BLAS, so the mapped library can be reported.
        _ = Tensor.rand([64, 64]).matmul(Tensor.rand([64, 64]))
        print("libtorch      \(Runtime.version) from \(LibTorchOrigin.description)")
        print("threads       \(Runtime.threadCount) intra-op (of \(Runtime.availableCores) active cores); "
              + FastEnvironment.description)
        print("OpenMP        \(LoadedLibraries.paths(containing: "libgomp").first ?? "libgomp not loaded")")
        print("BLAS          \(blasDescription())")
        print("CUDA          \(cudaDescription())")
        print("distributed   \(distributedDescription())")
        let gpuCount = printGPUs()
        var defaultDatasetFound = false
        for dataset in Dataset.registered {
            guard case .searched = dataset.location else { continue }
            let location = try? DataLocator.locate(dataset, dataDirectory: dataDir)
            if dataset.name == Dataset.fashionMNIST.name { defaultDatasetFound = location != nil }
            let found = location.map { "found in \($0)" } ?? "not found (\(dataset.howToGet))"
            print("\(dataset.name.padding(toLength: 14, withPad: " ", startingAt: 0))\(found)")
        }
        print(Doctor.verdict(slowBLAS: LoadedBLAS.warning, gpusWithoutCUDA: Runtime.cudaVersion == nil ? gpuCount : 0,
                             defaultDatasetFound: defaultDatasetFound))
    }

    /// The last line: `ready`, or each thing to fix, most consequential first.
    static func verdict(slowBLAS: String?, gpusWithoutCUDA: Int, defaultDatasetFound: Bool) -> String {
        var fixes: [String] = []
        if let slowBLAS { fixes.append("the BLAS: \(slowBLAS)") }
        if gpusWithoutCUDA > 0 {
            fixes.append("\(gpusWithoutCUDA) GPU(s) found, but this libtorch has no CUDA: build against the torch "
                + "wheel's libtorch (LIBTORCH_USE_PYTORCH=1, see README) to train on them")
        }
        if !defaultDatasetFound {
            fixes.append("Fashion-MNIST, the default dataset of `make run`, is missing: install dataset-fashion-mnist "
                + "(scripts/bootstrap does) or run `simvae data fetch --dataset fashion-mnist`")
        }
        guard !fixes.isEmpty else { return "verdict       ready" }
        return "verdict       \(fixes.count) thing\(fixes.count == 1 ? "" : "s") to fix:\n"
            + fixes.map { "  - " + $0 }.joined(separator: "\n")
    }

    private func blasDescription() -> String {
        let configuration = Runtime.buildConfiguration
        let configured = configuration.range(of: "BLAS_INFO=").map { start in
            String(configuration[start.lowerBound...].prefix { $0 != "," && $0 != "\n" })
        } ?? "BLAS_INFO unknown"
        let loaded = LoadedBLAS.paths
        let text = "built with \(configured); loaded: "
            + (loaded.isEmpty ? "none (linked into libtorch, or not loaded yet)" : loaded.joined(separator: ", "))
        return LoadedBLAS.warning.map { text + "\n              " + $0 } ?? text
    }

    /// The process-group backends `train --nproc` and torchrun-style launches can use with this build.
    private func distributedDescription() -> String {
        ProcessGroup.isAvailable
            ? "Gloo (CPU tensors): train --nproc N, or RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT; no NCCL"
            : "none: this libtorch's build has no Gloo headers (build against Debian's libtorch-dev with "
                + "libgloo-dev); training runs in one process"
    }

    private func cudaDescription() -> String {
        guard let cuda = Runtime.cudaVersion else { return "no CUDA in this libtorch" }
        let cuDNN = Runtime.cuDNNVersion.map { "cuDNN \($0)" } ?? "no cuDNN"
        let usable = Device.isCUDAAvailable
            ? "usable, \(Device.cudaDeviceCount) device(s)" : "not usable (libtorch sees no GPU)"
        return "\(cuda) in this libtorch, \(cuDNN); \(usable)"
    }

    /// Prints each GPU the NVIDIA driver sees, with its memory, whether or not this libtorch can use it; returns
    /// how many there are.
    private func printGPUs() -> Int {
        do {
            let inventory = try GPUInventory.current()
            guard !inventory.gpus.isEmpty else {
                print("GPUs          none (NVIDIA driver for CUDA \(inventory.driverCUDAVersion) sees no GPU)")
                return 0
            }
            for gpu in inventory.gpus {
                let memory = String(format: "%.1f GiB", Double(gpu.memoryBytes) / Double(1 << 30))
                print("GPU \(gpu.index)".padding(toLength: 14, withPad: " ", startingAt: 0)
                      + "\(gpu.name), \(memory), compute capability \(gpu.computeCapability) "
                      + "(driver for CUDA \(inventory.driverCUDAVersion))")
            }
            return inventory.gpus.count
        } catch {
            print("GPUs          none: \(error)")
            return 0
        }
    }
}
