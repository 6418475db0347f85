import Dispatch

/// Elapsed wall-clock time on the monotonic clock, so that a change of the system clock (NTP, a user setting
/// the date) never makes a measurement jump or go negative.
public struct Stopwatch: Sendable {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Starts timing now.
    public init() {}

    /// Seconds since the stopwatch was created.
    public var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// The shortest of `repeats` timings of `body`, in seconds.
    public static func best(of repeats: Int, _ body: () -> Void) -> Double {
        (0..<repeats).map { _ in
            let watch = Stopwatch()
            body()
            return watch.elapsed
        }.min() ?? .nan
    }
}
