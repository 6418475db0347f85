extension SyntheticShapes {
    /// A split of the `synthetic` dataset: 10 000 training and 2 000 test images (fewer with `limit`) of
    /// `imageSize` pixels (32 by default), seeded by the split, with their style factors.
    public static func split(_ split: DataSplit, limit: Int? = nil, imageSize: Int? = nil)
        -> (images: ImageSet, factors: StyleFactors)
    {
        let count = min(limit ?? .max, split == .train ? 10_000 : 2_000)
        let generated = generate(count: count, size: imageSize ?? 32,
                                 seed: UInt64(DataSplit.allCases.firstIndex(of: split) ?? 0))
        return (generated.images, generated.factors)
    }
}
