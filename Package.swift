// swift-tools-version:6.0
// The SimVAE toolkit: libtorch (through the thin CTorch shim) wrapped by the general-purpose `Torch` module,
// then data, methods, evaluation and the `simvae` command on top.
import Foundation
import PackageDescription

/// Where libtorch lives: `$LIBTORCH` (a prefix holding `include/` and `lib/`, as for the Rust `tch` crate),
/// else Debian's `libtorch-dev` under `/usr`.
struct LibTorch {
    let includes: [String]
    let libDir: String
    let isCustom: Bool

    static func locate() -> LibTorch {
        if let prefix = ProcessInfo.processInfo.environment["LIBTORCH"], !prefix.isEmpty {
            return LibTorch(
                includes: ["\(prefix)/include", "\(prefix)/include/torch/csrc/api/include"],
                libDir: "\(prefix)/lib", isCustom: true)
        }
        return LibTorch(
            includes: ["/usr/include", "/usr/include/torch/csrc/api/include"],
            libDir: "/usr/lib/x86_64-linux-gnu", isCustom: false)
    }
}

let libtorch = LibTorch.locate()
let torchCxxFlags = libtorch.includes.flatMap { ["-I", $0] } + ["-std=c++17", "-O2", "-Wno-deprecated-declarations"]
// A CUDA build of libtorch registers its kernels in libtorch_cuda.so, which nothing references directly:
// `--no-as-needed` keeps it linked, the rpath lets the binary find it without LD_LIBRARY_PATH.
var torchLinkFlags = ["-L\(libtorch.libDir)"]
if libtorch.isCustom {
    torchLinkFlags += ["-Xlinker", "-rpath", "-Xlinker", libtorch.libDir, "-Xlinker", "--no-as-needed"]
    if FileManager.default.fileExists(atPath: "\(libtorch.libDir)/libtorch_cuda.so") {
        torchLinkFlags += ["-ltorch_cuda", "-lc10_cuda"]
    }
}

// Release builds keep Swift's runtime checks (`-O`, never the unchecked mode): preconditions, array bounds and overflow
// checks are the safety net for anything a user or a file can get wrong. Hot loops that must not pay for the
// checks use unsafe buffer pointers locally.
let swiftSettings: [SwiftSetting] = [.unsafeFlags(["-O", "-wmo"], .when(configuration: .release))]
// Torch's few element loops (the fused Adam update) are ~100× slower unoptimised, which would make debug
// builds and the test suite crawl; the module is a thin, well-tested wrapper, so it is always optimised.
let torchSwiftSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))] + swiftSettings

let package = Package(
    name: "SimVAE",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Torch", targets: ["Torch"]),
        .library(name: "SimVAEData", targets: ["SimVAEData"]),
        .library(name: "SimVAEMethods", targets: ["SimVAEMethods"]),
        .library(name: "SimVAEEval", targets: ["SimVAEEval"]),
        .executable(name: "simvae", targets: ["simvae"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CTorch",
            cxxSettings: [.unsafeFlags(torchCxxFlags)],
            linkerSettings: [
                .unsafeFlags(torchLinkFlags),
                .linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"),
            ]),
        .systemLibrary(name: "CCodecs", path: "Sources/CCodecs"),
        .target(name: "Torch", dependencies: ["CTorch"], swiftSettings: torchSwiftSettings),
        .target(name: "SimVAEData", dependencies: ["Torch", "CCodecs"], swiftSettings: swiftSettings),
        .target(name: "SimVAEMethods", dependencies: ["Torch", "SimVAEData"], swiftSettings: swiftSettings),
        .target(name: "SimVAEEval", dependencies: ["Torch", "SimVAEData", "SimVAEMethods"],
                swiftSettings: swiftSettings),
        // The throughput measurements behind `simvae bench`: only the command uses them, no library depends on them.
        .target(
            name: "SimVAEBench", dependencies: ["Torch", "SimVAEData", "SimVAEMethods", "SimVAEEval"],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "simvae",
            dependencies: [
                "Torch", "SimVAEData", "SimVAEMethods", "SimVAEEval", "SimVAEBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),
        // The tests' shared gate for libtorch's process-wide random generator (see RandomGeneratorGate.swift).
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "TorchTests", dependencies: ["Torch", "TestSupport"]),
        .testTarget(name: "SimVAEDataTests", dependencies: ["SimVAEData", "TestSupport"]),
        .testTarget(name: "SimVAEMethodsTests", dependencies: ["SimVAEMethods", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SimVAEEvalTests", dependencies: ["SimVAEEval", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "SimVAEBenchTests", dependencies: ["SimVAEBench", "SimVAEMethods", "TestSupport"]),
        // Fuzz and fault cases that drive the release binary `.build/release/simvae` as child processes; the data
        // module only supplies the seeded generator and the image codecs that write fixtures.
        .testTarget(name: "SimVAEFaultTests", dependencies: ["SimVAEData"]),
    ],
    cxxLanguageStandard: .cxx17
)
