import Foundation
import SimVAEData
import SimVAEMethods
import TestSupport
import Testing
import Torch
@testable import SimVAEEval

private func monitoredConfiguration(data: URL) -> TrainingConfiguration {
    var settings = TrainingConfiguration.defaults(method: .simvae, dataset: .fashionMNIST)
    settings.dataDirectory = data.path
    settings.epochs = 2
    settings.batchSize = 16
    settings.views = 2
    settings.logEvery = 1
    settings.seed = 5
    return settings
}

private func temporaryRun() -> RunDirectory {
    RunDirectory(path: FileManager.default.temporaryDirectory
        .appendingPathComponent("simvae-monitor-\(UUID().uuidString)").path)
}

/// Trains with the kNN monitor that `simvae train` uses; returns the run's metrics rows.
private func trainMonitored(_ settings: TrainingConfiguration, in run: RunDirectory,
                            monitored: Bool = true) throws -> [[String: Any]] {
    var session = TrainingSession(configuration: settings, run: run, existing: .refuse,
                                  progress: ProgressReporter(plainEvery: .max))
    if monitored { session.monitorFactory = { try KNNMonitor(trainingImages: $0) } }
    try session.start()
    return try String(contentsOf: run.metrics, encoding: .utf8).split(separator: "\n").map {
        try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
}

@Test func monitorClassifiesTheLastTrainingImagesByTheFirstOnes() throws {
    let pixels: [UInt8] = (0..<60).flatMap { [UInt8($0), 0, 0, 0] }
    let images = ImageSet(pixels: pixels, count: 60, channels: 1, height: 2, width: 2, labels: (0..<60).map { $0 % 3 },
                          classNames: ["a", "b", "c"])
    let monitor = try KNNMonitor(trainingImages: images)
    #expect(monitor.queries == images.rows(50..<60))
    #expect(monitor.reference == images.rows(0..<50))
    #expect(throws: EvaluationError.self) { try KNNMonitor(trainingImages: images.prefix(1)) }
}

@Test(.drawsFromTheRandomGenerator) func monitorNeverReadsTheTestSplit() throws {
    // The test split's files are there (so the dataset is found) but unreadable: reading them would fail.
    let data = try tinyFashionMNIST(readableTestSplit: false)
    let settings = monitoredConfiguration(data: data)
    #expect(throws: (any Error).self) {
        try DatasetLoader.load(.fashionMNIST, split: .test, dataDirectory: data.path, limit: nil)
    }
    let rows = try trainMonitored(settings, in: temporaryRun())
    let readings = rows.filter { $0["monitor_knn"] != nil }
    #expect(readings.map { $0["epoch"] as? Int } == [1, 2])
    for reading in readings {
        let accuracy = try #require(reading["monitor_knn"] as? Double)
        #expect((0...1).contains(accuracy))
        #expect((reading["training_seconds"] as? Double ?? 0) > 0 && (reading["monitor_seconds"] as? Double ?? 0) > 0)
    }
}

@Test(.drawsFromTheRandomGenerator) func monitoringDoesNotChangeWhatIsLearnt() throws {
    let data = try tinyFashionMNIST()
    let settings = monitoredConfiguration(data: data)
    func losses(_ rows: [[String: Any]]) -> [Double] {
        rows.filter { $0["epoch_seconds"] == nil }.compactMap { $0["loss"] as? Double }
    }
    let monitored = losses(try trainMonitored(settings, in: temporaryRun()))
    let plain = losses(try trainMonitored(settings, in: temporaryRun(), monitored: false))
    #expect(monitored.count == 12)
    #expect(monitored == plain)
}
