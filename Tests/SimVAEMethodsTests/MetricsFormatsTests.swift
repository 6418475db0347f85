import Foundation
import Testing
@testable import SimVAEMethods

@Test func metricsAlsoGoToCSVAndTensorBoardAndSurviveAResume() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let jsonl = folder.appendingPathComponent("metrics.jsonl")
    let csv = folder.appendingPathComponent("metrics.csv")
    do {
        let writer = try MetricsWriter(url: jsonl, keepingStepsThrough: nil, formats: [.csv, .tensorboard])
        try writer.log(["step": 50, "epoch": 1, "loss": 2.5])
        try writer.log(["step": 100, "epoch": 1, "loss": 2.25])
        // An epoch summary with a key the header lacks widens the table.
        try writer.log(["step": 100, "epoch": 1, "loss": 2.3, "knn": 0.75])
        try writer.log(["step": 150, "epoch": 2, "loss": Double.nan])
    }
    #expect(try String(contentsOf: csv, encoding: .utf8) == """
        step,epoch,loss,knn
        50,1,2.5,
        100,1,2.25,
        100,1,2.3,0.75
        150,2,,

        """)
    // Resuming from step 100 drops the later record from both files and starts a second event file.
    _ = try MetricsWriter(url: jsonl, keepingStepsThrough: 100, formats: [.csv, .tensorboard])
    #expect(try String(contentsOf: csv, encoding: .utf8).split(separator: "\n").last == "100,1,2.3,0.75")
    let events = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tensorboard").path)
    #expect(events.count == 2 && events.allSatisfy { $0.hasPrefix("events.out.tfevents.") })
}
