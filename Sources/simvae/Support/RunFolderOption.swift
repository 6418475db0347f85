import ArgumentParser

/// Checks shared by every command's `--run` option.
enum RunFolderOption {
    /// Refuses an empty or blank `--run`, which would otherwise mean the current folder.
    static func validate(_ path: String) throws {
        if path.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--run must name a run folder, got an empty path.")
        }
    }
}
