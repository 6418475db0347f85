import Foundation

/// What a generated input must lead to.
enum Expectation: Sendable {
    /// A non-zero exit (1 or 64) whose standard error names one of these (a file's path or name, or a flag).
    case mustReject(naming: [String])
    /// Any outcome but a crash or a hang (the input may be valid); a failure must still name one of these.
    case mustNotCrash(naming: [String])

    var names: [String] {
        switch self {
        case .mustReject(let names), .mustNotCrash(let names): names
        }
    }

    var label: String {
        switch self {
        case .mustReject(let names): "mustReject(naming: \(names.joined(separator: " or ")))"
        case .mustNotCrash(let names): "mustNotCrash(naming: \(names.joined(separator: " or ")))"
        }
    }
}

/// The ways a case can fail.
enum Finding: String, CaseIterable, Sendable {
    case crash, hang
    case silentAcceptance = "silent acceptance"
    case unnamedRejection = "unnamed rejection"
    case dataLoss = "data loss"

    var plural: String {
        switch self {
        case .crash: "crashes"
        case .hang: "hangs"
        case .silentAcceptance: "silent acceptances"
        case .unnamedRejection: "unnamed rejections"
        case .dataLoss: "data losses"
        }
    }
}

/// The command a case runs, and the files that must be byte-identical afterwards if it fails.
struct Invocation: Sendable {
    var arguments: [String]
    /// Absolute paths whose bytes (or absence) a failed command must leave as they were.
    var protected: [String] = []
    var timeout: Double = TimeLimit.quick
}

/// One generated input: its family, a description of the mutation, what it must lead to, and how to build it.
struct FuzzCase: Sendable {
    let family: String
    let index: Int
    let mutation: String
    let expectation: Expectation
    /// Writes the case's files into its folder (the argument) and returns the command to run there.
    let build: @Sendable (String) throws -> Invocation

    var id: String { "\(family)/\(index)" }
}

/// A case's result.
struct CaseReport: Sendable {
    let fuzzCase: FuzzCase
    let invocation: Invocation?
    let result: ChildResult?
    let findings: [Finding]
    /// Files a failed command changed.
    let changedFiles: [String]
    /// Set when the case could not be built (a harness problem, counted as a failure of the test).
    let harnessError: String?

    /// The reproduction line(s) printed for a failing case.
    var reproduction: String {
        var line = "fuzz FAIL [\(findings.map(\.rawValue).joined(separator: ", "))] \(fuzzCase.id): "
            + "\(fuzzCase.mutation); expected \(fuzzCase.expectation.label)"
        if let harnessError { return line + "\n    harness error: \(harnessError)" }
        if let invocation {
            line += "\n    command: simvae " + invocation.arguments.map(Self.quoted).joined(separator: " ")
        }
        if let result {
            line += String(format: "\n    outcome: %@ after %.1f s", result.termination.description, result.seconds)
            line += "\n    stderr: " + (result.stderrTail().isEmpty ? "(empty)" : result.stderrTail())
        }
        if !changedFiles.isEmpty { line += "\n    changed: " + changedFiles.joined(separator: ", ") }
        line += "\n    rerun: SIMVAE_FUZZ_ONLY=\(fuzzCase.id) SIMVAE_FUZZ_KEEP=1 swift test --skip-build "
            + "--filter generatedBadInputsAreRejectedByName (the case folder is kept)"
        return line
    }

    static func quoted(_ argument: String) -> String {
        argument.isEmpty ? "\"\"" : argument.contains(where: { " \"'$".contains($0) }) ? "'\(argument)'" : argument
    }
}

/// Classifies a finished case.
enum Classifier {
    /// Exit statuses a handled outcome may have: success, a handled error, an argument-parser usage error, or an
    /// interruption.
    static let acceptedStatuses: Set<Int32> = [0, 1, 64, 130, 143]

    static func findings(_ result: ChildResult, expectation: Expectation, changedFiles: [String]) -> [Finding] {
        // A possibly valid input that trained and diverged is an outcome, not a rejection: its message may name
        // --lr, and the epochs it trained may have changed the run.
        var names = expectation.names
        var diverged = false
        if case .mustNotCrash = expectation, result.stderr.contains("the loss became") {
            (names, diverged) = (names + ["--lr"], true)
        }
        var findings: [Finding] = []
        switch result.termination {
        case .timedOut: findings.append(.hang)
        case .signaled: findings.append(.crash)
        case .exited(let status) where !acceptedStatuses.contains(status): findings.append(.crash)
        case .exited(0):
            if case .mustReject = expectation { findings.append(.silentAcceptance) }
        case .exited:
            if !self.names(result.stderr, names) { findings.append(.unnamedRejection) }
        }
        if result.termination != .exited(0), !diverged, !changedFiles.isEmpty { findings.append(.dataLoss) }
        return findings
    }

    /// Whether `text` names one of `names` (case-sensitive for flags and paths).
    static func names(_ text: String, _ names: [String]) -> Bool {
        names.contains { !$0.isEmpty && text.contains($0) }
    }
}

/// The bytes of files before a command, to check afterwards that a failed command left them alone.
struct FileSnapshot {
    private var contents: [(path: String, data: Data?)] = []

    init(_ paths: [String]) {
        contents = paths.map { ($0, FileManager.default.contents(atPath: $0)) }
    }

    /// The paths whose bytes differ now (or that appeared or vanished).
    func changed() -> [String] {
        contents.filter { FileManager.default.contents(atPath: $0.path) != $0.data }.map(\.path)
    }
}
