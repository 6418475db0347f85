import Foundation
import SimVAEData

/// The commands that read a run folder, as cases use them on a copy of a base run.
enum RunCommand: String, CaseIterable, Sendable {
    case sample, eval, reconstruct
    /// `train --resume` with the run's own options: the run is finished, so a valid one is reused.
    case resume
    /// `train --resume --epochs 2`: loads the checkpoint and trains one more epoch.
    case resumeMore = "resume --epochs 2"
    case report
    case trainDecoder = "train-decoder"

    /// The commands that make sense for a base run's method.
    static func applicable(to base: Fixtures.Base) -> [RunCommand] {
        switch base {
        case .simvae: [.sample, .eval, .reconstruct, .resume, .resumeMore, .report]
        case .moco: [.eval, .resume, .resumeMore, .trainDecoder]
        }
    }

    var isResume: Bool { self == .resume || self == .resumeMore }

    /// The arguments and time limit for a run at `run`, writing any output into `folder`.
    func invocation(_ base: Fixtures.Base, run: String, folder: String, protected: [String]) throws -> Invocation {
        let threads = ["--threads", "1"]
        switch self {
        case .sample:
            return Invocation(arguments: ["sample", "--run", run, "--out", "\(folder)/out.png", "--count", "4"]
                + threads, protected: protected)
        case .eval:
            return Invocation(arguments: ["eval", "--run", run, "--probes", "knn", "--limit", "64"] + threads,
                              protected: protected)
        case .reconstruct:
            return Invocation(arguments: ["reconstruct", "--run", run, "--out", "\(folder)/out.png", "--count", "8"]
                + threads, protected: protected)
        case .resume:
            return Invocation(arguments: try Fixtures.trainArguments(base, run: run) + ["--resume"],
                              protected: protected, timeout: TimeLimit.training)
        case .resumeMore:
            return Invocation(arguments: try Fixtures.trainArguments(base, run: run, epochs: 2) + ["--resume"],
                              protected: protected, timeout: TimeLimit.training)
        case .report:
            return Invocation(arguments: ["report", "--runs", run, "--out", "\(folder)/report.html"],
                              protected: protected)
        case .trainDecoder:
            return Invocation(arguments: ["train-decoder", "--run", run, "--epochs", "1", "--batch-size", "16"]
                + threads, protected: protected, timeout: TimeLimit.training)
        }
    }
}

/// A seeded generator for one case: the same family, index and campaign seed always give the same case.
struct CaseRandom {
    private var generator: SplitMix64

    init(family: String, index: Int) {
        // FNV-1a of the family name, mixed with the index and the campaign seed.
        let name = family.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        generator = SplitMix64(seed: name ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15 ^ Campaign.seed)
    }

    /// A uniform integer in `range`.
    mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(generator.next() % UInt64(range.count))
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { int(range.lowerBound ..< range.upperBound + 1) }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0 ..< items.count)] }

    mutating func chance(_ probability: Double) -> Bool { generator.uniform(0 ... 1) < probability }

    mutating func bytes(_ count: Int) -> [UInt8] { (0 ..< count).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
}
