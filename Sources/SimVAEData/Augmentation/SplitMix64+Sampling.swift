import Foundation

/// Seed derivation and the few distributions the augmentations draw from, written out so that the streams are the
/// same on every platform and Swift version (the standard library's `shuffled(using:)` and `random(in:using:)`
/// algorithms are not promised to stay fixed).
extension SplitMix64 {
    /// A generator for one stream of a seeded computation, e.g. `(seed, epoch, batch)`: different component lists
    /// give independent-looking streams, the same list always the same stream.
    public init(seed: UInt64, stream components: [UInt64]) {
        var mixer = SplitMix64(seed: seed)
        for component in components {
            mixer = SplitMix64(seed: mixer.next() ^ component)
        }
        self.init(seed: mixer.next())
    }

    /// A uniform integer in `0 ..< bound` (Lemire's multiply-high; the bias is below 2⁻⁴⁰ for the sizes used here).
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0, "index(below:) needs a positive bound")
        return Int(UInt64(bound).multipliedFullWidth(by: next()).high)
    }

    /// `true` with probability `probability`.
    public mutating func chance(_ probability: Double) -> Bool {
        probability >= 1 || (probability > 0 && uniform(0 ... 1) < probability)
    }

    /// A value whose logarithm is uniform between the logarithms of the range's bounds (positive bounds).
    public mutating func logUniform(_ range: ClosedRange<Double>) -> Double {
        exp(uniform(log(range.lowerBound) ... log(range.upperBound)))
    }

    /// `0 ..< count` in a uniformly random order (Fisher–Yates).
    public mutating func permutation(of count: Int) -> [Int] {
        var order = Array(0 ..< count)
        for position in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(position, index(below: position + 1))
        }
        return order
    }
}
