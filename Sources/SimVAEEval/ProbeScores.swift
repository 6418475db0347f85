/// Scores keyed as in `eval.json`, with the Adam steps of the probes that produced them, keyed by probe
/// (`eval.json`'s `probe_steps`).
struct ProbeScores: Equatable {
    /// Scores such as `"crop_scale_r2": 0.4`.
    var scores: [String: Double] = [:]
    /// Steps per probe, such as `"style_views_continuous": 3250`.
    var steps: [String: Int] = [:]

    /// Adds `other`'s scores and steps, its values winning for equal keys.
    mutating func merge(_ other: ProbeScores) {
        scores.merge(other.scores) { $1 }
        steps.merge(other.steps) { $1 }
    }
}
