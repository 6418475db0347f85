import ArgumentParser
import Foundation

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
        print("error: \(error)", to: &standardError)
        throw ExitCode.failure
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
