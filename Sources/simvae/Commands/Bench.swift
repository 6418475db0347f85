import ArgumentParser
import Foundation
import SimVAEBench
import SimVAEData
import Torch

/// `simvae bench`: throughput figures of this machine, measured in one run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure matmul peak and training-step throughput (images/s) on this machine.")

    @OptionGroup var runtime: RuntimeOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Timed training steps (more steps also show whether memory stays flat).")
    var steps = 40

    @Flag(help: "Skip the evaluation timings (kNN, GMM, probes on 60 000 × 10-d synthetic data).")
    var skipEvaluation = false

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps).") }
    }

    func run() throws {
        let compute = try runtime.apply()
        if compute.device != .cpu {
            FileHandle.standardError.write(Data("note: these benchmarks run on the CPU; --device \(compute.device) is not used by them yet\n".utf8))
        }
        let step = TrainStepBenchmark.simVAEStep(steps: steps)
        var figures: [(String, Double)] = [
            ("matmul_gflops", step.matmulGigaflops),
            ("train_step_images_per_s", step.imagesPerSecond),
            ("train_step_gflops", step.imagesPerSecond * step.flopsPerImage / 1e9),
            ("train_step_fraction_of_peak", step.fractionOfPeak),
            ("train_step_forward_ms", step.forwardMilliseconds),
            ("train_step_backward_ms", step.backwardMilliseconds),
            ("train_step_optimizer_ms", step.optimizerMilliseconds),
            ("threads", Double(Runtime.threadCount)),
        ]
        if let before = step.residentBytesBefore, let after = step.residentBytesAfter {
            figures += [("rss_start_mib", Double(before) / 1_048_576), ("rss_end_mib", Double(after) / 1_048_576)]
        }
        if let images = try? DatasetLoader.load(.fashionMNIST, split: .train) {
            let data = try DataBenchmark.run(images: images, seconds: 2)
            figures += [("augment_images_per_s", data.augmentImagesPerSecond),
                        ("loader_images_per_s", data.loaderImagesPerSecond),
                        ("train_end_to_end_images_per_s", try EndToEndBenchmark.imagesPerSecond(images: images))]
        } else {
            FileHandle.standardError.write(Data("Fashion-MNIST not found: data and end-to-end figures skipped\n".utf8))
        }
        if !skipEvaluation {
            let evaluation = try EvaluationBenchmark.run()
            // The accuracies come along, so a faster evaluation is never bought with a worse one.
            figures += ["knn_seconds", "gmm_seconds", "probes_seconds", "knn_acc", "gmm_acc", "linear_acc",
                        "mlp_acc"].compactMap { key in evaluation[key].map { (key, $0) } }
        }
        if json {
            let object = Dictionary(figures, uniquingKeysWith: { first, _ in first })
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (name, value) in figures {
                print("\(name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(String(format: "%.3f", value))")
            }
        }
    }
}
