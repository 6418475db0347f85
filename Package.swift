// swift-tools-version:6.0
// The SimVAE toolkit: libtorch (through the thin CTorch shim) wrapped by the general-purpose `Torch` module,
// then data, methods, evaluation and the `simvae` command on top.
import Foundation
import PackageDescription

/// Where libtorch lives and how to compile against it. Found, as Rust's `tch` crate does, from
/// `LIBTORCH_USE_PYTORCH=1` (the `torch` of `$PYTHON`, else `python3`), else `$LIBTORCH` (a prefix holding
/// `include/` and `lib/`), else Debian's `libtorch-dev` under `/usr`. The C++ standard and libstdc++'s ABI are read
/// from the installation, not assumed.
struct LibTorch {
    enum Origin: String { case debian, prefix, python }

    let origin: Origin
    let includes: [String]
    let libDir: String
    /// The C++ standard its headers need (17 for 1.13, 20 for 2.x wheels).
    let cxxStandard: CXXLanguageStandard
    /// `_GLIBCXX_USE_CXX11_ABI` it was built with, when the installation says.
    let cxx11ABI: Int?

    var isCustom: Bool { origin != .debian }
    var hasCUDA: Bool { FileManager.default.fileExists(atPath: "\(libDir)/libtorch_cuda.so") }

    static func locate() -> LibTorch {
        let environment = ProcessInfo.processInfo.environment
        if let flag = environment["LIBTORCH_USE_PYTORCH"], !flag.isEmpty, flag != "0" {
            let python = environment["PYTHON"].flatMap { $0.isEmpty ? nil : $0 } ?? "python3"
            let answer = askPython(python)
            return LibTorch(prefix: answer.prefix, origin: .python, cmakeFolder: "\(answer.prefix)/share/cmake",
                            knownABI: answer.abi)
        }
        if let prefix = environment["LIBTORCH"], !prefix.isEmpty {
            return LibTorch(prefix: prefix, origin: .prefix, cmakeFolder: "\(prefix)/share/cmake", knownABI: nil)
        }
        return LibTorch(prefix: "/usr", origin: .debian, libDir: "/usr/lib/x86_64-linux-gnu",
                        cmakeFolder: "/usr/lib/x86_64-linux-gnu/cmake", knownABI: nil)
    }

    private init(prefix: String, origin: Origin, libDir: String? = nil, cmakeFolder: String, knownABI: Int?) {
        let libDir = libDir ?? "\(prefix)/lib"
        let config = (try? String(contentsOfFile: "\(cmakeFolder)/Torch/TorchConfig.cmake", encoding: .utf8)) ?? ""
        self.origin = origin
        self.includes = ["\(prefix)/include", "\(prefix)/include/torch/csrc/api/include"]
        self.libDir = libDir
        self.cxxStandard = config.contains("cxx_std_20") || config.contains("c++20") ? .cxx20 : .cxx17
        self.cxx11ABI = knownABI ?? LibTorch.abi(declaredIn: config) ?? LibTorch.abi(ofLibraryIn: libDir)
    }

    /// The `-D_GLIBCXX_USE_CXX11_ABI=N` a TorchConfig.cmake asks dependents to compile with.
    private static func abi(declaredIn config: String) -> Int? {
        guard let range = config.range(of: "_GLIBCXX_USE_CXX11_ABI=") else { return nil }
        return config[range.upperBound...].first.flatMap { Int(String($0)) }
    }

    /// The ABI `libc10.so` was built with: only the new one mangles `std::__cxx11` into its symbol names.
    private static func abi(ofLibraryIn libDir: String) -> Int? {
        guard let bytes = FileManager.default.contents(atPath: "\(libDir)/libc10.so") else { return nil }
        return bytes.range(of: Data("__cxx11".utf8)) == nil ? 0 : 1
    }

    /// Asks a Python's `torch` for its folder and ABI; stops the build with one sentence when it cannot answer.
    private static func askPython(_ python: String) -> (prefix: String, abi: Int) {
        let script = "import os, torch; print(os.path.dirname(torch.__file__)); "
            + "print(int(torch._C._GLIBCXX_USE_CXX11_ABI))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        var lines: [String] = []
        if (try? process.run()) != nil {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            }
        }
        guard lines.count == 2, let abi = Int(lines[1]) else {
            fatalError("LIBTORCH_USE_PYTORCH=1: `\(python) -c 'import torch'` failed; install torch into that "
                + "Python or set PYTHON to one that has it")
        }
        return (lines[0], abi)
    }
}

let libtorch = LibTorch.locate()
var torchCxxFlags = libtorch.includes.flatMap { ["-I", $0] } + ["-O2", "-Wno-deprecated-declarations"]
if let abi = libtorch.cxx11ABI { torchCxxFlags.append("-D_GLIBCXX_USE_CXX11_ABI=\(abi)") }
// c10d's Gloo process group (data-parallel training) needs Gloo's own headers, which only libgloo-dev supplies for
// Debian's libtorch; PyPI's wheels ship c10d's headers without Gloo's, so their builds train in one process.
let hasGloo = libtorch.origin == .debian && FileManager.default.fileExists(atPath: "/usr/include/gloo/config.h")
if hasGloo { torchCxxFlags.append("-DCTORCH_GLOO") }
// A CUDA build of libtorch registers its kernels in libtorch_cuda.so, which nothing references directly:
// `--no-as-needed` keeps it linked, the rpath lets the binary find it without LD_LIBRARY_PATH.
// `LIBTORCH_NO_RPATH=1` leaves finding libtorch at run time to the library path (scripts/gpu-bundle's launcher).
var torchLinkFlags = ["-L\(libtorch.libDir)"]
if libtorch.isCustom {
    if ProcessInfo.processInfo.environment["LIBTORCH_NO_RPATH"] != "1" {
        torchLinkFlags += ["-Xlinker", "-rpath", "-Xlinker", libtorch.libDir]
    }
    torchLinkFlags += ["-Xlinker", "--no-as-needed"]
    if libtorch.hasCUDA { torchLinkFlags += ["-ltorch_cuda", "-lc10_cuda"] }
}
// Debian's libtorch asks for `libblas.so.3` and `liblapack.so.3`, which the `update-alternatives` links resolve to
// whichever BLAS has the highest priority: installing libopenblas0-pthread (python3-sklearn pulls it) silently
// switches them to the pthread build (issue 15 measured a training step at half the speed). The binaries depend on
// the OpenMP build by its own folder instead, so the loader has it mapped before libtorch asks for the same names,
// whatever the links say.
if hasGloo { torchLinkFlags.append("-lgloo") }
let openMPBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
if libtorch.origin == .debian, FileManager.default.fileExists(atPath: "\(openMPBLAS)/libblas.so.3") {
    torchLinkFlags += ["-Xlinker", "--no-as-needed", "-Xlinker", "-rpath", "-Xlinker", openMPBLAS]
        + ["libblas.so.3", "liblapack.so.3"].flatMap { ["-Xlinker", "\(openMPBLAS)/\($0)"] }
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
    cxxLanguageStandard: libtorch.cxxStandard
)
