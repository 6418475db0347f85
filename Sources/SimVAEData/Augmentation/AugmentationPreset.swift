/// The augmentation presets `simvae train --augmentation` offers, applied to every view.
public enum AugmentationPreset: String, Codable, CaseIterable, Sendable {
    /// The authors' pipeline for the dataset (PAPER.md §5), with their vertical flip.
    case paper
    /// The authors' pipeline with SimCLR's horizontal flip.
    case paperHorizontal = "paper-horizontal"
    /// SimCLR's pipeline (crop, flip, colour jitter, grayscale, blur).
    case simclr
    /// No augmentation: every view is the image itself.
    case none

    /// The pipeline for `dataset`'s images of `side` pixels (nil for `none`).
    public func pipeline(for dataset: Dataset, side: Int) -> AugmentationPipeline? {
        switch self {
        case .paper: dataset.paperAugmentation()
        case .paperHorizontal: dataset.paperAugmentation(flipAxis: .horizontal)
        case .simclr: .simclr(imageSide: side)
        case .none: nil
        }
    }
}
