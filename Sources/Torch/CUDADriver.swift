#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation

/// The NVIDIA driver's C API (`libcuda.so.1`, installed with the driver, stable across CUDA releases), opened at
/// run time: it describes the GPUs of any machine, whether or not this libtorch was built with CUDA, and needs no
/// CUDA headers at build time.
enum CUDADriver {
    private typealias Initialize = @convention(c) (UInt32) -> Int32
    private typealias IntegerOut = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
    private typealias DeviceHandle = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias DeviceName = @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> Int32
    private typealias DeviceMemory = @convention(c) (UnsafeMutablePointer<Int>, Int32) -> Int32
    private typealias DeviceAttribute = @convention(c) (UnsafeMutablePointer<Int32>, Int32, Int32) -> Int32

    /// `CUDA_ERROR_NO_DEVICE`: the driver is installed but sees no GPU.
    private static let noDevice: Int32 = 100
    /// `CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR` and `_MINOR`.
    private static let capabilityAttributes: (major: Int32, minor: Int32) = (75, 76)

    /// The driver's CUDA version and its GPUs; an empty list when it sees none.
    /// - Throws: a `TorchError` when there is no driver or it fails to answer.
    static func inventory() throws -> (driverVersion: Int, gpus: [GPUDescription]) {
        guard let library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL) else {
            throw TorchError("no NVIDIA driver (libcuda.so.1 is not installed)")
        }
        defer { dlclose(library) }
        func function<Signature>(_ name: String, as _: Signature.Type) throws -> Signature {
            guard let symbol = dlsym(library, name) else {
                throw TorchError("the NVIDIA driver lacks \(name); it is older than CUDA 3.2")
            }
            return unsafeBitCast(symbol, to: Signature.self)
        }
        func check(_ status: Int32, _ call: String) throws {
            guard status == 0 else { throw TorchError("the NVIDIA driver's \(call) failed with CUDA error \(status)") }
        }
        var version: Int32 = 0
        try check(try function("cuDriverGetVersion", as: IntegerOut.self)(&version), "cuDriverGetVersion")
        let status = try function("cuInit", as: Initialize.self)(0)
        if status == noDevice { return (Int(version), []) }
        try check(status, "cuInit")
        var count: Int32 = 0
        try check(try function("cuDeviceGetCount", as: IntegerOut.self)(&count), "cuDeviceGetCount")
        let deviceHandle = try function("cuDeviceGet", as: DeviceHandle.self)
        let deviceName = try function("cuDeviceGetName", as: DeviceName.self)
        let deviceMemory = try function("cuDeviceTotalMem_v2", as: DeviceMemory.self)
        let attribute = try function("cuDeviceGetAttribute", as: DeviceAttribute.self)
        let gpus = try (0..<count).map { ordinal -> GPUDescription in
            var device: Int32 = 0
            try check(deviceHandle(&device, ordinal), "cuDeviceGet")
            var name = [CChar](repeating: 0, count: 256)
            try check(deviceName(&name, Int32(name.count - 1), device), "cuDeviceGetName")
            var bytes = 0
            try check(deviceMemory(&bytes, device), "cuDeviceTotalMem")
            var (major, minor): (Int32, Int32) = (0, 0)
            try check(attribute(&major, capabilityAttributes.major, device), "cuDeviceGetAttribute")
            try check(attribute(&minor, capabilityAttributes.minor, device), "cuDeviceGetAttribute")
            return GPUDescription(
                index: Int(ordinal), name: String(cString: name), memoryBytes: bytes,
                computeCapability: "\(major).\(minor)")
        }
        return (Int(version), gpus)
    }
}
