import ArgumentParser

/// Checks shared by the options that name files and folders.
enum PathOption {
    /// Refuses an empty or blank path, which would otherwise mean the current folder.
    static func validate(_ path: String, flag: String) throws {
        if path.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("\(flag) must name a file or folder, got an empty path.")
        }
    }

    /// Refuses an empty `--run`.
    static func validateRun(_ path: String) throws { try validate(path, flag: "--run") }
}
