import Foundation
import Torch

extension TrainingSession {
    /// Whether this process writes the run folder: a process training alone, or rank 0 of a group.
    var writesRun: Bool { (group?.rank ?? 0) == 0 }

    /// What every rank does with the run folder: rank 0 decides from the folder (as one process would) and tells
    /// the others through the group's store; every rank then checks that it trains the same options as rank 0.
    /// - Throws: rank 0's refusal (on every rank), or a sentence naming the first rank whose options differ.
    func agreedPlan() throws -> RunPlan {
        guard let group else { return try RunPlan(for: self) }
        let options = try Self.canonicalJSON(configuration)
        if group.rank == 0 {
            let plan: RunPlan
            do {
                plan = try RunPlan(for: self)
            } catch {
                try group.publish("refused:\(error)", forKey: "plan")
                throw error
            }
            try group.publish(plan.published, forKey: "plan")
            try group.publish(options, forKey: "options")
            for rank in 1 ..< group.worldSize {
                let verdict = try group.value(forKey: "verdict/\(rank)")
                guard verdict == "ok" else { throw ConfigurationError("rank \(rank) of \(group.worldSize): \(verdict)") }
            }
            return plan
        }
        let published = try group.value(forKey: "plan")
        if published.hasPrefix("refused:") {
            throw ConfigurationError("rank 0 refused the run: \(published.dropFirst("refused:".count))")
        }
        let leading = try group.value(forKey: "options")
        var verdict = "ok"
        if leading != options {
            let differences = (try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(leading.utf8)))
                .map { configuration.differences(from: $0) } ?? []
            verdict = "its options differ from rank 0's"
                + (differences.isEmpty ? "" : " (" + differences.joined(separator: ", ") + ")")
                + ": start every rank with the same flags"
        }
        try group.publish(verdict, forKey: "verdict/\(group.rank)")
        guard verdict == "ok" else { throw ConfigurationError("rank \(group.rank) of \(group.worldSize): \(verdict)") }
        return try RunPlan(published: published, run: run)
    }

    private static func canonicalJSON(_ configuration: TrainingConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }
}

extension RunPlan {
    /// The plan as rank 0 tells it to the other ranks.
    var published: String {
        switch self {
        case .fresh: "fresh"
        case .overwrite: "overwrite"
        case .continue: "continue"
        case .reuse: "reuse"
        }
    }

    /// The plan rank 0 published; a reused run's state is read from its checkpoint.
    init(published: String, run: RunDirectory) throws {
        switch published {
        case "fresh": self = .fresh
        case "overwrite": self = .overwrite
        case "continue": self = .continue
        case "reuse": self = .reuse(try Checkpoint.recordedState(of: run.checkpoint))
        default: throw ConfigurationError("rank 0 published an unknown plan '\(published)'")
        }
    }
}
