import ArgumentParser
import Foundation
import SimVAEBench
import SimVAEData
import SimVAEMethods
import Torch

/// `simvae bench`: throughput figures of this machine, measured in one run.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure matmul peak and training-step throughput (images/s) on this machine.")

    /// The benchmarks `--only` selects from, in the order they run.
    enum Part: String, CaseIterable {
        /// The paper's MLP SimVAE step (with the matmul peak and memory figures).
        case trainStep = "train-step"
        /// The authors' CIFAR-10 SimVAE step, J = 2 and J = 10.
        case authorsStep = "authors-step"
        /// Augmentation, loader and end-to-end training on Fashion-MNIST.
        case data
        /// kNN, GMM and probes on synthetic representations.
        case evaluation

        /// The names, comma-separated, for help and messages.
        static let names = allCases.map(\.rawValue).joined(separator: ", ")
    }

    @OptionGroup var runtime: RuntimeOptions

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "Timed MLP training steps (more steps also show whether memory stays flat).")
    var steps = 40

    @Option(help: "Timed steps of the authors' CIFAR-10 step for each J (128 images a step at J = 2, 120 at J = 10).")
    var authorsSteps = 10

    @Option(help: "Benchmarks to run, comma-separated: \(Part.names) (default: all).")
    var only: String?

    @Flag(help: "Skip the evaluation timings (kNN, GMM, probes on 60 000 × 10-d synthetic data).")
    var skipEvaluation = false

    /// The views per set the authors' step is timed with.
    static let authorsViews = [2, 10]

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps).") }
        if authorsSteps < 1 { throw ValidationError("--authors-steps must be at least 1, got \(authorsSteps).") }
        _ = try parts()
    }

    /// The benchmarks selected by `--only` and `--skip-evaluation`.
    func parts() throws -> [Part] {
        var selected = Part.allCases
        if let only {
            let named = try CommaListOption.parse(only, flag: "--only", as: Part.self)
            selected = Part.allCases.filter(named.contains)
        }
        return skipEvaluation ? selected.filter { $0 != .evaluation } : selected
    }

    func run() throws {
        let compute = try runtime.apply()
        let parts = try parts()
        // The MLP step runs on the CPU, in the chosen precision when the CPU was chosen.
        let mlpPrecision = compute.device == .cpu ? compute.precision : .fp32
        if compute.device != .cpu || compute.precision != .fp32, parts.contains(where: { $0 != .authorsStep }) {
            let note = compute.device == .cpu
                ? "note: the authors' and the MLP steps run in \(compute.precision.rawValue); the data and evaluation "
                    + "figures are measured in fp32\n"
                : "note: only the authors' step runs on \(compute.device) in \(compute.precision.rawValue); the "
                    + "MLP step, data and evaluation figures are measured on the CPU in fp32\n"
            FileHandle.standardError.write(Data(note.utf8))
        }
        var figures: [(String, Double)] = []
        if parts.contains(.trainStep) { figures += try trainStepFigures(precision: mlpPrecision) }
        if parts.contains(.authorsStep) { figures += try authorsStepFigures(compute) }
        if parts.contains(.data) {
            if let images = try? DatasetLoader.load(.fashionMNIST, split: .train) {
                let data = try DataBenchmark.run(images: images, seconds: 2)
                figures += [("augment_images_per_s", data.augmentImagesPerSecond),
                            ("loader_images_per_s", data.loaderImagesPerSecond),
                            ("train_end_to_end_images_per_s", try EndToEndBenchmark.imagesPerSecond(images: images))]
            } else {
                let message = "Fashion-MNIST not found: data and end-to-end figures skipped\n"
                FileHandle.standardError.write(Data(message.utf8))
            }
        }
        if parts.contains(.evaluation) {
            let evaluation = try EvaluationBenchmark.run()
            // The accuracies come along, so a faster evaluation is never bought with a worse one.
            figures += ["knn_seconds", "gmm_seconds", "probes_seconds", "knn_acc", "gmm_acc", "linear_acc",
                        "mlp_acc"].compactMap { key in evaluation[key].map { (key, $0) } }
        }
        figures.append(("threads", Double(Runtime.threadCount)))
        if json {
            let object = Dictionary(figures, uniquingKeysWith: { first, _ in first })
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for (name, value) in figures {
                print("\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(String(format: "%.3f", value))")
            }
        }
    }

    /// The MLP step's figures in `precision` on the CPU, with the matmul peak in that precision and the resident
    /// memory around the timed steps.
    private func trainStepFigures(precision: Precision) throws -> [(String, Double)] {
        let step = try TrainStepBenchmark.simVAEStep(steps: steps, precision: precision)
        var figures = [("matmul_gflops", step.matmulGigaflops)] + stepFigures(step, prefix: "train_step")
        if let before = step.residentBytesBefore, let after = step.residentBytesAfter {
            figures += [("rss_start_mib", Double(before) / 1_048_576), ("rss_end_mib", Double(after) / 1_048_576)]
        }
        return figures
    }

    /// The authors' step for each J in `authorsViews` on the chosen device and precision, with the networks' sizes
    /// and forward cost.
    private func authorsStepFigures(_ compute: ComputeSettings) throws -> [(String, Double)] {
        var figures: [(String, Double)] = []
        for views in Bench.authorsViews {
            let result = try AuthorsStepBenchmark(views: views, steps: authorsSteps, device: compute.device,
                                                  precision: compute.precision).run()
            if figures.isEmpty {
                figures = [("authors_encoder_parameters", Double(result.encoderParameters)),
                           ("authors_decoder_parameters", Double(result.decoderParameters)),
                           ("authors_forward_gflop_per_image", result.forwardFlopsPerImage / 1e9)]
            }
            figures += [("authors_step_j\(views)_matmul_gflops", result.measurement.matmulGigaflops)]
                + stepFigures(result.measurement, prefix: "authors_step_j\(views)")
        }
        return figures
    }

    /// Images/s, GFLOP/s, fraction of peak and the phase milliseconds of one step measurement.
    private func stepFigures(_ step: TrainStepBenchmark.Measurement, prefix: String) -> [(String, Double)] {
        [("\(prefix)_images_per_s", step.imagesPerSecond),
         ("\(prefix)_gflops", step.imagesPerSecond * step.flopsPerImage / 1e9),
         ("\(prefix)_fraction_of_peak", step.fractionOfPeak),
         ("\(prefix)_forward_ms", step.forwardMilliseconds),
         ("\(prefix)_backward_ms", step.backwardMilliseconds),
         ("\(prefix)_optimizer_ms", step.optimizerMilliseconds)]
    }
}
