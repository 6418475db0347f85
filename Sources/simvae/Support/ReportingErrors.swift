import ArgumentParser
import Foundation
import Torch

/// Runs `body`; a thrown error becomes one clear sentence on standard error and exit status 1, instead of
/// a dump of the error value.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        var standardError = FileHandle.standardError
        print("error: \(ErrorReport.sentence(for: error))", to: &standardError)
        throw ExitCode.failure
    }
}

/// The sentence a user reads for an error.
enum ErrorReport {
    /// The error's own sentence; running out of memory also says what to lower.
    static func sentence(for error: any Error) -> String {
        guard let torch = error as? TorchError, torch.isOutOfMemory else { return "\(error)" }
        return "\(torch); lower --batch-size, --zdim or --limit (or the count asked for), or free memory"
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
