import Foundation

/// An error raised while reading, decoding, locating or writing data: a human sentence that names the file (when
/// there is one) and the problem, fit to print as is.
public struct DataError: Error, Sendable, Equatable, LocalizedError, CustomStringConvertible {
    /// The complete sentence, e.g. "train-images-idx3-ubyte.gz: bad magic number 1234 (expected 2051 for IDX images)".
    public let message: String

    /// Creates an error with a complete sentence.
    public init(_ message: String) {
        self.message = message
    }

    /// Creates an error whose sentence starts with the path of the file concerned.
    public init(file: String, _ problem: String) {
        self.message = "\(file): \(problem)"
    }

    /// The error for asking a dataset without one (`what`, e.g. "CIFAR-10") for its validation split.
    static func noValidationSplit(_ what: String) -> DataError {
        DataError("\(what) has no validation split (use train or test)")
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
