import ArgumentParser
import Foundation
import SimVAEMethods
import Torch

/// `simvae check-device`: the GPU test subset, runnable wherever the binary is (a GPU machine without Swift).
struct CheckDevice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-device",
        abstract: "Check a device before training on it: tensor moves, CPU-vs-device parity of one training step "
            + "of every method, and reduced precision against fp32.",
        discussion: "Exits with status 1 when a check fails. With --device cpu the parity is exact by construction "
            + "and the precision check compares bf16 with fp32.")

    @OptionGroup var runtime: RuntimeOptions
    @Flag(help: "Print one JSON object instead of a line per check.")
    var json = false

    func run() throws {
        let compute = try runtime.apply()
        try reportingErrors {
            let check = DeviceCheck(compute: compute)
            let outcomes = try check.run { outcome in
                guard !json else { return }
                let figures = outcome.figures.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(String(format: "%.2e", $0.value))" }.joined(separator: ", ")
                print("\(outcome.passed ? "ok  " : "FAIL") \(outcome.name): \(figures.isEmpty ? "" : figures + "; ")"
                    + outcome.detail)
            }
            let failed = outcomes.filter { !$0.passed }.map(\.name)
            if json {
                let object: [String: Any] = [
                    "device": compute.device.description, "reduced_precision": check.reducedPrecision.rawValue,
                    "libtorch": Runtime.version, "passed": failed.isEmpty,
                    "checks": outcomes.map { ["name": $0.name, "passed": $0.passed, "figures": $0.figures,
                                              "detail": $0.detail] as [String: Any] },
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
            guard failed.isEmpty else {
                throw ConfigurationError("\(failed.count) of \(outcomes.count) checks failed on \(compute.device): "
                    + failed.joined(separator: ", "))
            }
            if !json { print("all \(outcomes.count) checks passed on \(compute.device)") }
        }
    }
}
