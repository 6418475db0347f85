import Testing
@testable import Torch

@Suite struct CUDAInformationTests {
    @Test func encodedVersionsReadAsCUDAAndCuDNNWriteThem() {
        #expect(CUDAVersion.text(ofRuntime: 12040) == "12.4")
        #expect(CUDAVersion.text(ofRuntime: 13020) == "13.2")
        #expect(CUDAVersion.text(ofRuntime: 11080) == "11.8")
        #expect(CUDAVersion.text(ofCuDNN: 92600) == "9.26.0")
        #expect(CUDAVersion.text(ofCuDNN: 90100) == "9.1.0")
        #expect(CUDAVersion.text(ofCuDNN: 8902) == "8.9.2")
    }

    /// The versions the shim reads from libtorch's CUDA hooks agree with the ones its build configuration lists
    /// (`CUDA_VERSION=13.2, CUDNN_VERSION=9.26.0` for a CUDA wheel); a CPU-only libtorch lists neither.
    @Test func versionsAgreeWithTheBuildConfiguration() {
        let configuration = Runtime.buildConfiguration
        let cuda = configuration.firstMatch(of: #/CUDA_VERSION=([0-9.]+)/#).map { String($0.1) }
        let cuDNN = configuration.firstMatch(of: #/CUDNN_VERSION=([0-9.]+)/#).map { String($0.1) }
        #expect(Runtime.cudaVersion == cuda, "\(configuration)")
        #expect(Runtime.cuDNNVersion == cuDNN, "\(configuration)")
    }
}
