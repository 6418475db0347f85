import Foundation

/// Shows training progress: a single rewritten line on a terminal (epoch, step/total, loss, images/s, ETA),
/// plain periodic lines otherwise (logs, CI).
public final class ProgressReporter {
    private let isTerminal: Bool
    private let plainEvery: Int
    private var lastLength = 0
    /// Appended to every progress line and epoch note (the online monitor's last value), empty at first.
    public var status = ""

    /// `plainEvery`: steps between lines when standard error is not a terminal.
    public init(plainEvery: Int = 100) {
        isTerminal = isatty(STDERR_FILENO) == 1
        self.plainEvery = plainEvery
    }

    /// Reports step `step` (1-based) of `total` in `epoch` of `epochs`.
    public func update(epoch: Int, epochs: Int, step: Int, total: Int, loss: Double, imagesPerSecond: Double,
                       secondsLeft: Double) {
        let text = String(format: "epoch %d/%d  step %d/%d  loss %.4g  %.0f img/s  ETA ", epoch, epochs, step,
                          total, loss, imagesPerSecond) + ProgressReporter.duration(secondsLeft) + status
        if isTerminal {
            let width = 24
            let filled = total > 0 ? width * step / total : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = "\r\(bar) \(text)"
            let padding = String(repeating: " ", count: Swift.max(0, lastLength - line.count))
            FileHandle.standardError.write(Data((line + padding).utf8))
            lastLength = line.count
        } else if step % plainEvery == 0 || step == total {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Prints a message on its own line (ending any bar in progress).
    public func note(_ message: String) {
        if isTerminal && lastLength > 0 {
            FileHandle.standardError.write(Data("\n".utf8))
            lastLength = 0
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
            : String(format: "%dm%02ds", whole / 60, whole % 60)
    }
}
