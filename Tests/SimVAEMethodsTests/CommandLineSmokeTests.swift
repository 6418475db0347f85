import Foundation
import SimVAEData
@testable import SimVAEMethods
import TestSupport
import Testing
import Torch

/// The release binary users run, `.build/release/simvae` (`make test` builds it first), or `$SIMVAE_BINARY`
/// (`make test-libtorch2` tests the one built against another libtorch).
/// - Throws: when it has not been built, so the test fails instead of passing without having run anything.
func simvaeBinary() throws -> URL {
    if let path = ProcessInfo.processInfo.environment["SIMVAE_BINARY"], !path.isEmpty {
        return try requireExecutable(URL(fileURLWithPath: path))
    }
    var folder = URL(fileURLWithPath: #filePath)
    while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
        folder.deleteLastPathComponent()
    }
    return try requireExecutable(folder.appendingPathComponent(".build/release/simvae"))
}

private func requireExecutable(_ binary: URL) throws -> URL {
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw MissingBinary(description: "\(binary.path) is missing: build it with "
            + "`swift build -c release --product simvae` (`make test` does)")
    }
    return binary
}

private struct MissingBinary: Error, CustomStringConvertible {
    let description: String
}

/// Runs the binary; returns its exit status and everything it printed.
func simvae(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// A tiny Fashion-MNIST in the real IDX format: random pixels, 10 classes.
func tinyData(images: Int) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("simvae-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    func bigEndian(_ values: [UInt32]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) } }
    for prefix in ["train", "t10k"] {
        let pixels = (0..<(images * 784)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        try Data(bigEndian([2051, UInt32(images), 28, 28]) + pixels)
            .write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
        try Data(bigEndian([2049, UInt32(images)]) + (0..<images).map { UInt8($0 % 10) })
            .write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
    }
    return folder
}

/// The README's flow on a few hundred images: train, resume a finished run, evaluate, report.
@Test func trainEvaluateAndReportFromTheCommandLine() throws {
    let binary = try simvaeBinary()
    let data = try tinyData(images: 200)
    let run = data.appendingPathComponent("run").path
    let train = ["train", "--method", "simvae", "--dataset", "fashion-mnist", "--data-dir", data.path, "--run", run,
                 "--epochs", "1", "--views", "2", "--batch-size", "32"]
    let trained = try simvae(binary, train)
    #expect(trained.status == 0, "\(trained.output)")
    let again = try simvae(binary, train + ["--resume"])
    #expect(again.status == 0 && again.output.contains("reusing it"), "\(again.output)")
    let refused = try simvae(binary, train)
    #expect(refused.status == 1 && refused.output.contains("--force"), "\(refused.output)")
    let evaluated = try simvae(binary, ["eval", "--run", run, "--json"])
    #expect(evaluated.status == 0, "\(evaluated.output)")
    for key in ["linear_acc", "mlp_acc", "knn_acc", "gmm_acc", "gmm_nmi", "gmm_ari", "vertical_flip_acc"] {
        #expect(evaluated.output.contains("\"\(key)\""), "eval.json lacks \(key)")
    }
    let report = data.appendingPathComponent("report.html").path
    let reported = try simvae(binary, ["report", "--runs", run, "--out", report])
    #expect(reported.status == 0, "\(reported.output)")
    let page = try String(contentsOfFile: report, encoding: .utf8)
    #expect(page.contains("<svg") && page.contains("data:image/png;base64"))
}

/// `simvae export`: the encoder alone under the encoder module's own names, and `.npy` representations equal to the
/// run's, for a split and for a folder of image files.
@Test(.drawsFromTheRandomGenerator) func exportWritesTheEncoderAndRepresentations() throws {
    let binary = try simvaeBinary()
    let data = try tinyData(images: 100)
    let run = data.appendingPathComponent("run").path
    let trained = try simvae(binary, ["train", "--method", "simvae", "--dataset", "fashion-mnist", "--data-dir",
                                      data.path, "--run", run, "--epochs", "1", "--views", "2", "--batch-size", "32"])
    #expect(trained.status == 0, "\(trained.output)")
    let out = data.appendingPathComponent("export")
    let exported = try simvae(binary, ["export", "--run", run, "--out", out.path, "--splits", "test", "--limit", "40",
                                       "--images", URL(fileURLWithPath: run).appendingPathComponent("images").path])
    #expect(exported.status == 0, "\(exported.output)")

    let model = try TrainedModel(run: RunDirectory(path: run))
    let weights = try SafeTensors.read(out.appendingPathComponent("encoder.safetensors"))
    let encoderNames = model.model.namedTensors().map(\.0).filter { $0.hasPrefix("encoder.") }
    #expect(Set(weights.keys) == Set(encoderNames.map { String($0.dropFirst("encoder.".count)) }))
    #expect(weights["layers.0.weight"]?.shape == [2000, 784])

    let test = try DatasetLoader.load(model.dataset, split: .test, dataDirectory: data.path, limit: 40)
    let expected = try model.representations(of: test).features.scalars(as: Float.self)
    let file = try Data(contentsOf: out.appendingPathComponent("representations_test.npy"))
    let headerLength = Int(file[8]) | Int(file[9]) << 8
    #expect(String(decoding: file[10 ..< 10 + headerLength], as: UTF8.self).contains("'shape': (40, 10)"))
    let stored = file.subdata(in: 10 + headerLength ..< file.count).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    // The same encoder on the same images; only the summation order of another process may differ.
    #expect(stored.count == expected.count)
    #expect(zip(stored, expected).map { abs($0 - $1) }.max() ?? 1 < 1e-5)
    let listed = try String(contentsOf: out.appendingPathComponent("images.txt"), encoding: .utf8)
    #expect(listed.split(separator: "\n").count == 2)  // reconstructions.png and samples.png
    let refused = try simvae(binary, ["export", "--run", run, "--splits", "train,valid"])
    #expect(refused.status != 0 && refused.output.contains("--splits"))
}

/// `simvae doctor` ends with a verdict that agrees with what it found: `ready`, or a fix for each problem shown.
@Test func doctorEndsWithAVerdictThatAgreesWithItsFindings() throws {
    let doctor = try simvae(try simvaeBinary(), ["doctor"])
    #expect(doctor.status == 0, "\(doctor.output)")
    let lines = doctor.output.split(separator: "\n").map(String.init)
    let verdictIndex = try #require(lines.lastIndex { $0.hasPrefix("verdict") })
    let fixes = lines[(verdictIndex + 1)...].filter { $0.hasPrefix("  - ") }
    let slowBLAS = lines.contains { $0.contains("WARNING") && $0.lowercased().contains("blas") }
    let datasetMissing = lines.contains { $0.hasPrefix("fashion-mnist") && $0.contains("not found") }
    #expect(fixes.contains { $0.contains("BLAS") } == slowBLAS)
    #expect(fixes.contains { $0.contains("Fashion-MNIST") } == datasetMissing)
    #expect((lines[verdictIndex] == "verdict       ready") == fixes.isEmpty)
}

/// `--recipe fast` sets SimVAE's cluster variance and, on the CPU, says which precision it measured its way to;
/// `--cluster-variance` and `--precision` given beside it win.
@Test func aMethodFlagWinsOverTheRecipe() throws {
    let binary = try simvaeBinary()
    let data = try tinyData(images: 64)
    let cases: [([String], Double)] = [([], TrainingRecipe.Fast.clusterVariance), (["--cluster-variance", "0.5"], 0.5),
                                       (["--precision", "fp32"], TrainingRecipe.Fast.clusterVariance)]
    for (index, (flags, expected)) in cases.enumerated() {
        let run = data.appendingPathComponent("run\(index)")
        let trained = try simvae(binary, ["train", "--method", "simvae", "--dataset", "fashion-mnist",
                                          "--data-dir", data.path, "--run", run.path, "--recipe", "fast",
                                          "--epochs", "1", "--batch-size", "32", "--monitor-every", "off",
                                          "--device", "cpu"] + flags)
        #expect(trained.status == 0, "\(trained.output)")
        let folder = RunDirectory(path: run.path)
        let configuration = try folder.readConfiguration()
        #expect(configuration[SimVAE.clusterVariance] == expected && configuration.recipe == .fast)
        let trainedIn = try #require(try folder.readTrainerState()?.segments?.last?.precision)
        let choice = trained.output.split(separator: "\n").first { $0.hasPrefix("--recipe fast: training in ") }
        if flags.first == "--precision" {
            #expect(trainedIn == .fp32 && choice == nil)
        } else {
            #expect(choice?.hasPrefix("--recipe fast: training in \(trainedIn.rawValue) (") == true, "\(trained.output)")
        }
    }
}
