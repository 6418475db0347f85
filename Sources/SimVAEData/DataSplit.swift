/// A standard partition of a dataset.
public enum DataSplit: String, Sendable, CaseIterable {
    /// The training images.
    case train
    /// The validation images (CelebA only; the other datasets have none).
    case valid
    /// The held-out test images.
    case test
}
