extension MetricsLog {
    /// The keys of the online monitor's rows (`simvae train --monitor-every`): its accuracy, the seconds it took,
    /// the training seconds when it was measured and the epochs done by then.
    public static let monitorKeys: Set<String> = ["monitor_knn", "monitor_seconds", "training_seconds", "epochs_done"]

    /// The online monitor's kNN accuracy in % against `x`: `epochs_done` or `training_seconds`; empty when the run
    /// was not monitored.
    public func monitorCurve(against x: String) -> [PlotPoint] {
        records.compactMap { record in
            guard let accuracy = record.values["monitor_knn"], let position = record.values[x] else { return nil }
            return PlotPoint(x: position, y: accuracy * 100)
        }
    }

    /// The fraction of training time the monitor took, when it was measured.
    public var monitorTimeFraction: Double? {
        let rows = records.filter { $0.values["monitor_seconds"] != nil }
        guard let total = rows.last?.values["training_seconds"], total > 0 else { return nil }
        return rows.compactMap { $0.values["monitor_seconds"] }.reduce(0, +) / total
    }
}
