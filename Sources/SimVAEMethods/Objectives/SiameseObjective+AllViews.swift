import Torch

/// Layout helpers for objectives that compare every view of a set, not only the first two (BYOL, Barlow Twins).
extension SiameseObjective {
    /// [x₀⁰, x₁⁰, …, x₀¹, x₁¹, …, x₀ᴶ⁻¹, …]: view 0 of every set, then view 1 of every set, and so on through all
    /// `views` views, from a set-major batch [B·J, …]; one pass of the result through a network lets batch norm
    /// see all B·J images.
    static func viewMajor(_ images: Tensor, views: Int) -> Tensor {
        precondition(views >= 2, "this objective compares views of a set and needs at least 2 per set, not \(views)")
        let count = images.size(0)
        precondition(count % views == 0, "a batch of \(count) images is not made of sets of \(views) views")
        return images.reshaped([count / views, views, -1]).transposed(0, 1)
            .reshaped([count] + images.shape.dropFirst())
    }

    /// The `views` blocks [B, …] of a view-major tensor [J·B, …], block j holding view j of every set.
    static func splitViews(_ viewMajor: Tensor, views: Int) -> [Tensor] { viewMajor.chunked(views, dim: 0) }
}
