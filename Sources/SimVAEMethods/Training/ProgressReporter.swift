import Foundation
import Torch

/// Shows the progress of training (epoch, step/total, loss, images/s, ETA) and of other long work in stages
/// (`advance`): a single rewritten line on a terminal, plain periodic lines otherwise (logs, CI).
public final class ProgressReporter {
    private let isTerminal: Bool
    private let plainEvery: Int
    private var lastLength = 0
    private var currentStage = ""
    private var stageWatch = Stopwatch()
    private var ticks = 0
    /// Appended to every progress line and epoch note (the online monitor's last value), empty at first.
    public var status = ""

    private let isSilent: Bool

    /// `plainEvery`: steps between lines when standard error is not a terminal.
    public init(plainEvery: Int = 100) {
        isTerminal = isatty(STDERR_FILENO) == 1
        self.plainEvery = plainEvery
        isSilent = false
    }

    private init(silent: Bool) {
        isTerminal = false
        plainEvery = 1
        isSilent = silent
    }

    /// A reporter that shows nothing (the ranks of a group other than rank 0, whose progress rank 0 shows).
    public static func silent() -> ProgressReporter { ProgressReporter(silent: true) }

    /// Reports step `step` (1-based) of `total` in `epoch` of `epochs`.
    public func update(epoch: Int, epochs: Int, step: Int, total: Int, loss: Double, imagesPerSecond: Double,
                       secondsLeft: Double) {
        guard !isSilent else { return }
        let text = String(format: "epoch %d/%d  step %d/%d  loss %.4g  %.0f img/s  ETA ", epoch, epochs, step,
                          total, loss, imagesPerSecond) + ProgressReporter.duration(secondsLeft) + status
        if isTerminal {
            draw(text, fraction: total > 0 ? Double(step) / Double(total) : 0)
        } else if step % plainEvery == 0 || step == total {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Reports `done` units of `total` (nil: unknown, for work that stops when it converges) of the stage `stage`,
    /// with the stage's ETA extrapolated from its pace so far. Shown on a terminal only: elsewhere the notes of
    /// finished stages are the record.
    public func advance(stage: String, done: Int, total: Int?) {
        guard isTerminal, !isSilent else { return }
        if stage != currentStage {
            (currentStage, stageWatch) = (stage, Stopwatch())
        }
        let elapsed = stageWatch.elapsed
        let counted = done > 0 ? ": \(done)" : ""
        guard let total, total > 0 else {
            draw(stage + counted + "  " + ProgressReporter.duration(elapsed), fraction: nil)
            return
        }
        let left = done > 0 ? elapsed * Double(total - done) / Double(done) : .nan
        draw("\(stage): \(done)/\(total)  " + ProgressReporter.duration(elapsed) + ", ETA "
                + ProgressReporter.duration(left), fraction: Double(done) / Double(total))
    }

    /// Rewrites the terminal's line with a bar filled to `fraction` (a moving marker when nil) and `text`.
    private func draw(_ text: String, fraction: Double?) {
        let width = 24
        let bar: String
        if let fraction {
            let filled = Swift.min(width, Swift.max(0, Int(Double(width) * fraction)))
            bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        } else {
            ticks += 1
            let position = ticks % width
            bar = String(repeating: "·", count: position) + "█" + String(repeating: "·", count: width - 1 - position)
        }
        let line = "\r\(bar) \(text)"
        let padding = String(repeating: " ", count: Swift.max(0, lastLength - line.count))
        FileHandle.standardError.write(Data((line + padding).utf8))
        lastLength = line.count
    }

    /// Prints a message on its own line, in place of any bar in progress.
    public func note(_ message: String) {
        guard !isSilent else { return }
        clearBar()
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Erases a bar in progress, so that what is printed next starts on a clean line.
    public func clearBar() {
        if isTerminal && lastLength > 0 {
            FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: lastLength) + "\r").utf8))
            lastLength = 0
        }
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
            : String(format: "%dm%02ds", whole / 60, whole % 60)
    }
}

extension ProgressReporter {
    /// Reports of long work in stages drawn by this reporter.
    public var workProgress: WorkProgress {
        WorkProgress(note: { [self] in note($0) }, advance: { [self] in advance(stage: $0, done: $1, total: $2) })
    }
}
