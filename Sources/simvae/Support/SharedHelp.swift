import ArgumentParser
import SimVAEData

/// Help texts of options that several commands share, written once.
enum SharedHelp {
    /// `--dataset` (ArgumentParser lists the accepted names).
    static let dataset = ArgumentHelp("Dataset (see simvae data check).")
    /// `--data-dir` where the dataset is read from.
    static let dataDirectory = ArgumentHelp("Folder holding the dataset (default: $SIMVAE_DATA, then standard places).")
}
