import Torch
@testable import SimVAEEval

/// Seeded Gaussian classes for the tensor-based evaluation tests: `centres` rows are the class means,
/// each point is its class mean plus N(0, noise² I), labels cycle through the classes.
func gaussianClasses(_ centres: [[Double]], count: Int, noise: Double = 1, seed: UInt64 = 0)
    -> (representations: Tensor, labels: Tensor)
{
    Runtime.seed(seed)
    let means = Tensor(centres.flatMap { $0 }, shape: [centres.count, centres[0].count])
    let labels = Tensor((0..<count).map { Int64($0 % centres.count) })
    let points = means.indexSelect(dim: 0, labels) + Tensor.randn([count, centres[0].count], dtype: .float64) * noise
    return (points, labels)
}

/// Probe settings for the small test splits: a larger learning rate than the default 1e-3 and frequent
/// convergence checks, so probes converge in a few hundred steps.
func quickProbeSettings(head: ProbeHead = .linear, batchSize: Int = 32) -> ProbeSettings {
    ProbeSettings(head: head, batchSize: batchSize, learningRate: 1e-2, evaluationInterval: 25, patience: 3,
                  maximumSteps: 3000)
}
