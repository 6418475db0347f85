import Testing
import Torch
@testable import SimVAEMethods

@Suite struct ComputeSettingsTests {
    @Test func autoTakesTheFirstGPUWhenLibtorchHasCUDAElseTheCPU() throws {
        let gpu = try ComputeSettings.resolve(deviceName: "auto", precision: .fp32, cudaAvailable: true, gpuCount: 2)
        #expect(gpu.device == .cuda(0))
        let cpu = try ComputeSettings.resolve(deviceName: "auto", precision: nil, cudaAvailable: false, gpuCount: 0)
        #expect(cpu == ComputeSettings(device: .cpu, precision: .fp32), "the CPU's default precision is fp32")
    }

    @Test func namedDevicesParse() throws {
        for (name, device) in [("cpu", Device.cpu), ("cuda", .cuda(0)), ("cuda:1", .cuda(1))] {
            let settings = try ComputeSettings.resolve(deviceName: name, precision: .fp32, cudaAvailable: true,
                                                       gpuCount: 2)
            #expect(settings.device == device)
        }
    }

    @Test(arguments: ["gpu", "cuda:", "cuda:-1", "cuda:x", "CPU", ""])
    func aMalformedDeviceIsRefusedByName(name: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ComputeSettings.resolve(deviceName: name, precision: nil, cudaAvailable: true, gpuCount: 1)
        }
        #expect(error?.description == "--device: '\(name)' is not one of auto, cpu, cuda or cuda:N")
    }

    @Test func cudaWithoutACUDALibtorchSaysSo() {
        let error = #expect(throws: ConfigurationError.self) {
            try ComputeSettings.resolve(deviceName: "cuda:1", precision: nil, cudaAvailable: false, gpuCount: 0)
        }
        #expect(error?.description.hasPrefix("--device cuda:1: this libtorch has no CUDA") == true)
    }

    @Test func aMissingGPUNamesTheOnesFound() {
        func message(_ name: String, gpus: Int) -> String? {
            (#expect(throws: ConfigurationError.self) {
                try ComputeSettings.resolve(deviceName: name, precision: nil, cudaAvailable: true, gpuCount: gpus)
            })?.description
        }
        #expect(message("cuda:1", gpus: 1) == "--device cuda:1: only 1 GPU (cuda:0) found")
        #expect(message("cuda:3", gpus: 2) == "--device cuda:3: only 2 GPUs (cuda:0 to cuda:1) found")
        #expect(message("cuda", gpus: 0) == "--device cuda: no GPU found")
    }

    @Test func float16IsRefusedOnTheCPUAndBFloat16Accepted() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try ComputeSettings.resolve(deviceName: "cpu", precision: .fp16, cudaAvailable: false, gpuCount: 0)
        }
        #expect(error?.description.hasPrefix("--precision fp16 needs a CUDA GPU") == true)
        #expect(try ComputeSettings.resolve(deviceName: "cpu", precision: .bf16).precision == .bf16)
    }

    @Test func thisMachineResolvesWhatItReports() throws {
        let settings = try ComputeSettings.resolve(deviceName: "auto", precision: nil)
        #expect(settings.device == (Device.isCUDAAvailable && Device.cudaDeviceCount > 0 ? .cuda(0) : .cpu))
    }
}
