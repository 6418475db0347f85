import Foundation
import Testing
import Torch

/// `--device cpu` through train, eval, sample and reconstruct, as a user runs them.
@Test func explicitCPUDeviceTrainsEvaluatesAndSamples() throws {
    let binary = try simvaeBinary()
    let data = try tinyData(images: 120)
    let run = data.appendingPathComponent("run").path
    let device = ["--device", "cpu", "--threads", "1"]
    let trained = try simvae(binary, ["train", "--method", "simvae", "--dataset", "fashion-mnist", "--data-dir",
                                      data.path, "--run", run, "--epochs", "1", "--views", "2", "--batch-size", "32",
                                      "--precision", "bf16"] + device)
    #expect(trained.status == 0, "\(trained.output)")
    let state = try String(contentsOfFile: run + "/trainer.json", encoding: .utf8)
    #expect(state.contains("\"precision\" : \"bf16\""), "\(state)")
    let evaluated = try simvae(binary, ["eval", "--run", run, "--probes", "knn,gmm", "--json"] + device)
    #expect(evaluated.status == 0 && evaluated.output.contains("\"knn_acc\""), "\(evaluated.output)")
    for command in ["sample", "reconstruct"] {
        let out = data.appendingPathComponent("\(command).png").path
        let drawn = try simvae(binary, [command, "--run", run, "--out", out] + device)
        #expect(drawn.status == 0 && FileManager.default.fileExists(atPath: out), "\(drawn.output)")
    }
}

/// A device or precision this machine cannot honour is one line naming the flag, before any work.
@Test func unusableDevicesAreOneLineErrors() throws {
    let binary = try simvaeBinary()
    let run = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-device-\(UUID().uuidString)").path
    let train = ["train", "--method", "vae", "--dataset", "fashion-mnist", "--run", run]
    let fp16 = try simvae(binary, train + ["--device", "cpu", "--precision", "fp16"])
    #expect(fp16.status == 1 && fp16.output.hasPrefix("error: --precision fp16 needs a CUDA GPU"), "\(fp16.output)")
    #expect(fp16.output.split(separator: "\n").count == 1)
    let malformed = try simvae(binary, train + ["--device", "gpu0"])
    #expect(malformed.status != 0 && malformed.output.contains("--device: 'gpu0' is not one of"), "\(malformed.output)")
    if !Device.isCUDAAvailable {
        for command in [train, ["eval", "--run", run], ["check-device"]] {
            let refused = try simvae(binary, command + ["--device", "cuda:1"])
            #expect(refused.status == 1 && refused.output.hasPrefix("error: --device cuda:1: this libtorch has no CUDA"),
                    "\(refused.output)")
            #expect(refused.output.split(separator: "\n").count == 1)
        }
    }
    #expect(!FileManager.default.fileExists(atPath: run), "a refused command must not create the run folder")
}

/// `simvae check-device --device cpu --json` passes and reports every method.
@Test func deviceCheckCommandPassesOnTheCPU() throws {
    let binary = try simvaeBinary()
    let checked = try simvae(binary, ["check-device", "--device", "cpu", "--threads", "2", "--json"])
    #expect(checked.status == 0, "\(checked.output)")
    let object = try JSONSerialization.jsonObject(with: Data(checked.output.utf8)) as? [String: Any]
    #expect(object?["passed"] as? Bool == true)
    let names = (object?["checks"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
    #expect(names.contains("parity/simvae") && names.contains("bf16/barlow-twins") && names.count == 21)
}
