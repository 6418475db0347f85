import ArgumentParser
import Foundation
import SimVAEData
import Torch

/// `simvae doctor`: what this installation found — the first thing to run when something is off.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the libtorch found, threads, BLAS, CUDA and the datasets found.")

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
        let libtorch = LoadedLibraries.paths(containing: "libtorch_cpu").first ?? "not found in the process maps"
        print("libtorch      \(Runtime.version) at \(libtorch)")
        print("threads       \(Runtime.threadCount) intra-op (of \(Runtime.availableCores) active cores); "
              + FastEnvironment.description)
        print("BLAS          \(blasDescription())")
        let cuda = Device.isCUDAAvailable ? "available, \(Device.cudaDeviceCount) device(s)" : "not available"
        print("CUDA          \(cuda)")
        for dataset in Dataset.registered {
            guard case .searched = dataset.location else { continue }
            let found = (try? DataLocator.locate(dataset, dataDirectory: dataDir)).map { "found in \($0)" }
                ?? "not found (\(dataset.howToGet))"
            print("\(dataset.name.padding(toLength: 14, withPad: " ", startingAt: 0))\(found)")
        }
    }

    private func blasDescription() -> String {
        let configuration = Runtime.buildConfiguration
        let configured = configuration.range(of: "BLAS_INFO=").map { start in
            String(configuration[start.lowerBound...].prefix { $0 != "," && $0 != "\n" })
        } ?? "BLAS_INFO unknown"
        let loaded = (LoadedLibraries.paths(containing: "blas") + LoadedLibraries.paths(containing: "mkl"))
            .map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        var text = "built with \(configured); loaded: \(loaded.isEmpty ? "none yet" : loaded.joined(separator: ", "))"
        if loaded.contains(where: { $0.contains("/blas/") && !$0.contains("openblas") }) {
            text += "\n              WARNING: the reference BLAS is ~25× slower; install libopenblas0-openmp "
                + "(scripts/bootstrap does)"
        }
        return text
    }
}
