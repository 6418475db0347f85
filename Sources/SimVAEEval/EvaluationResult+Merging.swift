import Foundation
import Torch

extension EvaluationResult {
    /// How the scores were obtained, apart from the run they belong to: the scored checkpoint's epoch, the
    /// `--limit`, and every protocol setting, as readable phrases keyed by name (`"eval limit": "200"`).
    /// Runs averaged as seeds must agree on all of these.
    var evaluationKey: [String: String] {
        var key = ["checkpoint epoch": epochs.map(String.init) ?? "unknown",
                   "eval limit": limit.map(String.init) ?? "all"]
        for (name, value) in settings ?? [:] { key["eval " + name] = value }
        return key
    }

    /// Everything that must agree for two results' scores to be merged: `evaluationKey` plus the checkpoint's
    /// step and the run's method, dataset and seed.
    private var provenance: [String: String] {
        evaluationKey.merging([
            "checkpoint step": step.map(String.init) ?? "unknown", "method": method ?? "unknown",
            "dataset": dataset ?? "unknown", "seed": seed.map(String.init) ?? "unknown",
        ]) { $1 }
    }

    /// How this result was obtained differently from `stored`, as phrases such as `"checkpoint step 40 → 80"`
    /// or `"eval limit 200 → all"`; empty when their scores can be merged.
    ///
    /// Scores of an unknown checkpoint step are never merged, since nothing says they describe this checkpoint.
    public func provenanceDifferences(from stored: EvaluationResult) -> [String] {
        let old = stored.provenance, new = provenance
        let differences = Set(old.keys).union(new.keys).sorted().compactMap { key -> String? in
            old[key] == new[key] ? nil : "\(key) \(old[key] ?? "none") → \(new[key] ?? "none")"
        }
        return differences.isEmpty && step == nil ? ["the checkpoint step is not recorded"] : differences
    }

    /// `newer`, a later evaluation of the same run, combined with these stored scores.
    ///
    /// When both come from the same evaluation (`provenanceDifferences(from:)` is empty) the scores are merged
    /// key by key, `newer`'s values winning: a score `newer` lacks (its probe was not run) keeps its stored
    /// value, style scores, seconds and probe steps are merged per name (`seconds.total` is then the latest command's).
    /// Otherwise the stored scores describe another checkpoint, limit or protocol and are dropped.
    ///
    /// - Returns: the combined result, and the reasons the stored scores were dropped (empty when merged).
    public func updated(with newer: EvaluationResult) -> (result: EvaluationResult, droppedBecause: [String]) {
        let differences = newer.provenanceDifferences(from: self)
        guard differences.isEmpty else { return (newer, differences) }
        var merged = newer
        merged.linearAccuracy = newer.linearAccuracy ?? linearAccuracy
        merged.mlpAccuracy = newer.mlpAccuracy ?? mlpAccuracy
        if newer.knnAccuracy == nil { (merged.knnAccuracy, merged.knnNeighbors) = (knnAccuracy, knnNeighbors) }
        merged.gmmAccuracy = newer.gmmAccuracy ?? gmmAccuracy
        merged.gmmNormalizedMutualInformation = newer.gmmNormalizedMutualInformation ?? gmmNormalizedMutualInformation
        merged.gmmAdjustedRandIndex = newer.gmmAdjustedRandIndex ?? gmmAdjustedRandIndex
        func union<Value>(_ old: [String: Value]?, _ new: [String: Value]?) -> [String: Value]? {
            guard let old else { return new }
            return old.merging(new ?? [:]) { $1 }
        }
        merged.style = union(style, newer.style)
        merged.seconds = union(seconds, newer.seconds)
        merged.probeSteps = union(probeSteps, newer.probeSteps)
        return (merged, [])
    }

    /// The result stored in the `eval.json` at `url`, or nil when there is no file there yet.
    ///
    /// Read it before a long evaluation, so that an invalid file stops the command before the work.
    ///
    /// - Throws: `EvaluationError` naming the path (and the key) when the file is unreadable or invalid; delete
    ///   the file to start afresh.
    public static func stored(at url: URL) throws -> EvaluationResult? {
        FileManager.default.fileExists(atPath: url.path) ? try EvaluationResult(contentsOf: url) : nil
    }

    /// Writes this result, merged into `stored` (see `updated(with:)`), to `url` atomically.
    ///
    /// - Parameter stored: what `url` held before, from `stored(at:)`.
    /// - Returns: what was written, and a sentence saying why the stored scores were dropped, if they were.
    /// - Throws: `EvaluationError` when a score is out of range or the file cannot be written.
    public func save(to url: URL, mergingInto stored: EvaluationResult?) throws
        -> (saved: EvaluationResult, note: String?) {
        let (saved, reasons) = stored?.updated(with: self) ?? (self, [])
        do {
            try AtomicFile.write(try saved.jsonData(), to: url)
        } catch let error as EvaluationError {
            throw error
        } catch {
            throw EvaluationError.unwritableFile(path: url.path, reason: "\(error)")
        }
        let note = reasons.isEmpty ? nil : "\(url.path) held the scores of another evaluation ("
            + reasons.joined(separator: ", ") + "); they were dropped and replaced by these."
        return (saved, note)
    }
}
