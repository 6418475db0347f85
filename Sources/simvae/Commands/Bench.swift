import ArgumentParser
import Foundation
import SimVAEMethods
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

    func validate() throws {
        if steps < 1 { throw ValidationError("--steps must be at least 1, got \(steps).") }
    }

    func run() throws {
        runtime.apply()
        let peak = TrainStepBenchmark.matmulGigaflops()
        let step = TrainStepBenchmark.simVAEStep(steps: steps)
        let stepGigaflops = step.imagesPerSecond * step.flopsPerImage / 1e9
        var figures: [(String, Double)] = [
            ("matmul_gflops", peak),
            ("train_step_images_per_s", step.imagesPerSecond),
            ("train_step_gflops", stepGigaflops),
            ("train_step_fraction_of_peak", stepGigaflops / peak),
            ("threads", Double(Runtime.threadCount)),
        ]
        if let before = step.residentBytesBefore, let after = step.residentBytesAfter {
            figures += [("rss_start_mib", Double(before) / 1_048_576), ("rss_end_mib", Double(after) / 1_048_576)]
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
