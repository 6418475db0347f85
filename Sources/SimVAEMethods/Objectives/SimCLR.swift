import Foundation
import Torch

/// The NT-Xent (normalised temperature-scaled cross-entropy) loss of SimCLR (Chen et al. 2020).
public enum NTXent {
    /// The loss of B positive pairs (`a[i]`, `b[i]`), [B, D] each: every one of the 2B vectors is classified
    /// against the other 2B − 1 by cosine similarity / `temperature`, its partner being the right class,
    /// and the 2B cross-entropies are averaged:
    ///
    ///     ℓ_i = −log( exp(s(i, p(i)) / τ) / Σ_{k ≠ i} exp(s(i, k) / τ) ).
    ///
    /// Symmetric in `a` and `b`.
    public static func loss(_ a: Tensor, _ b: Tensor, temperature: Double) -> Tensor {
        let count = a.size(0)
        let unit = Functional.normalize(Tensor.cat([a, b]), dim: 1)
        let diagonal = Tensor.eye(2 * count, device: unit.device) .> 0.5
        let logits = (unit.matmul(unit.T) / temperature).maskedFill(diagonal, with: -Double.infinity)
        let partners = (0..<(2 * count)).map { Int64(($0 + count) % (2 * count)) }
        return Functional.crossEntropy(logits, targets: Tensor(partners).to(unit.device))
    }
}

/// SimCLR (Chen et al. 2020): the encoder's output of two views of each sample goes through a projection
/// head, and NT-Xent pulls the projections of the two views together against the other 2B − 2 views of
/// the batch. Views 0 and 1 of each set are the pair; further views are ignored. Term: `nce`.
public final class SimCLR: SiameseObjective, Objective {
    /// τ of NT-Xent.
    public let temperature: Double

    /// SimCLR over `encoder` (images → representations) and `head`, with temperature τ.
    public init(encoder: any Layer, head: ProjectionHead, temperature: Double = 0.5) {
        self.temperature = temperature
        super.init(encoder: encoder, head: head)
    }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        // Across ranks every view is contrasted with the whole group's batch, as in one process.
        let (a, b) = projectedPair(images: images, views: views)
        let loss = NTXent.loss(a.gatheredAcrossRanks(), b.gatheredAcrossRanks(), temperature: temperature)
        return ObjectiveOutput(loss: loss, terms: ["nce": loss.detached()])
    }
}
