import Foundation
import TestSupport
import Testing
@testable import SimVAEEval

@Test func reportPlotsTheMonitorAgainstEpochsAndTrainingTime() throws {
    let metrics = try MetricsLog(parsing: """
        {"step": 10, "loss": 5.0}
        {"epoch": 1, "step": 10, "monitor_knn": 0.5, "monitor_seconds": 1.0, "training_seconds": 40.0, "epochs_done": 1}
        {"epoch": 2, "step": 20, "monitor_knn": 0.75, "monitor_seconds": 1.0, "training_seconds": 80.0, "epochs_done": 2}
        """)
    #expect(metrics.monitorCurve(against: "epochs_done") == [PlotPoint(x: 1, y: 50), PlotPoint(x: 2, y: 75)])
    #expect(metrics.monitorCurve(against: "training_seconds") == [PlotPoint(x: 40, y: 50), PlotPoint(x: 80, y: 75)])
    #expect(metrics.monitorTimeFraction == 2.0 / 80)
    let run = ReportedRun(name: "fast", method: "simvae", dataset: "fashion-mnist", seed: 1, configuration: [:],
                          result: EvaluationResult(knnAccuracy: 0.8), metrics: metrics)
    let page = HTMLReport(runs: [run]).render()
    #expect(page.contains("kNN accuracy against epochs") && page.contains("kNN accuracy against training time (s)"))
    #expect(page.contains("fast: 2.5 %"))
    // The monitor's keys are not drawn again as training curves.
    #expect(!page.contains(">monitor_knn<") && !page.contains(">training_seconds<"))
    let unmonitored = ReportedRun(name: "old", method: "simvae", dataset: "fashion-mnist", seed: 1, configuration: [:],
                                  result: EvaluationResult(knnAccuracy: 0.8))
    #expect(HTMLReport(runs: [unmonitored]).render().contains("No run was monitored while it trained."))
}
