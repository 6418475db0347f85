import SimVAEData

/// A measurement of the representation taken while a run trains (an online kNN accuracy, say), logged to
/// `metrics.jsonl` and shown in the progress line. It must not draw from the random generator, so that a monitored
/// run learns exactly what an unmonitored one does and resumes exactly.
public protocol TrainingMonitor: AnyObject {
    /// The `metrics.jsonl` key of the measured value, such as `monitor_knn`.
    var key: String { get }
    /// How the progress line names the value, such as `kNN`.
    var label: String { get }
    /// Measures `model`'s current representation; the trainer calls it in evaluation mode, without gradients.
    func measure(_ model: any Objective) throws -> Double
}

/// Builds a run's monitor from its training images (the only split it is given).
public typealias TrainingMonitorFactory = (_ trainingImages: ImageSet) throws -> any TrainingMonitor
