import Torch

/// BYOL's loss (Grill et al. 2020): the normalised squared error between the online network's prediction of one
/// view and the target network's projection of another, ‖p̂ − ẑ‖² = 2 − 2·cos(p, z).
public enum BYOLLoss {
    /// The loss of the predictions and target projections of J ≥ 2 views, J tensors [B, D] each (entry j of
    /// both arrays belonging to view j of the same B sets): for each unordered pair of views {i, j}, the
    /// symmetric loss ℓ(p_i, z_j) + ℓ(p_j, z_i) averaged over sets, then averaged over the J(J − 1)/2 pairs.
    /// For two views this is BYOL's symmetrised loss; it lies in [0, 8].
    public static func loss(predictions: [Tensor], targets: [Tensor]) -> Tensor {
        let views = predictions.count
        precondition(views >= 2 && targets.count == views,
                     "BYOL's loss needs two or more views, with one target per prediction")
        let p = predictions.map { Functional.normalize($0, dim: 1) }
        let z = targets.map { Functional.normalize($0, dim: 1) }
        func total(_ vectors: [Tensor]) -> Tensor { vectors.dropFirst().reduce(vectors[0], +) }
        // Σ_{i≠j} p̂_i·ẑ_j per set, as (Σ_i p̂_i)·(Σ_j ẑ_j) minus the same-view terms p̂_j·ẑ_j.
        let allPairs = (total(p) * total(z)).sum(dim: 1)
        let sameView = total(zip(p, z).map { ($0 * $1).sum(dim: 1) })
        let crossViewCosines = (allPairs - sameView).mean()
        // Σ_{i≠j} (2 − 2·cos) over the J(J − 1) ordered pairs, divided by the J(J − 1)/2 unordered ones.
        return 4 - crossViewCosines * (4 / Double(views * (views - 1)))
    }
}

/// BYOL, Bootstrap Your Own Latent (Grill et al. 2020): an online network (encoder, projector `head`, then a
/// `predictor`) learns to predict a target network's projection of another view of the same sample; the target
/// (a copy of encoder and projector) is an exponential moving average of the online one and gets no gradient.
///
/// All J views of each set go through both networks in one pass (batch norm sees all B·J images) and every
/// ordered pair of distinct views is compared (`BYOLLoss`). Each `loss(images:views:)` first moves the target
/// network, target ← m·target + (1 − m)·online, like `MoCo`: that is the update after the previous optimizer
/// step, so the order matches BYOL's and a resumed run continues exactly. The momentum m is constant (BYOL's
/// cosine schedule from m to 1 is not applied). The target network is saved under `target_encoder.…` and
/// `target_head.…`; its batch-norm statistics are its own. Term: `prediction`.
public final class BYOL: SiameseObjective, Objective {
    /// Maps the projector's output to a prediction of the target's projection (same width).
    public let predictor: ProjectionHead
    /// The target network's copy of the encoder, updated by momentum only.
    public let targetEncoder: any Layer
    /// The target network's copy of the projector.
    public let targetHead: ProjectionHead
    /// Moves the target network (`targetEncoder`, `targetHead`) towards the online one (`encoder`, `head`).
    private let targetNetwork: MomentumNetwork

    /// m of the momentum update.
    public var momentum: Double { targetNetwork.momentum }

    /// BYOL whose encoders `makeEncoder` builds (called twice: online and target) with a projector of
    /// `projectionWidths` (hidden widths, then the output width) on the encoder's `representationWidth` outputs,
    /// and a predictor with one hidden layer of `predictorHiddenWidth` back to the projector's output width;
    /// projector and predictor are Linear–BN–ReLU–…–Linear as in the paper. The target network starts as a copy
    /// of the online encoder and projector.
    public init(makeEncoder: () -> any Layer, representationWidth: Int, projectionWidths: [Int],
                predictorHiddenWidth: Int, momentum: Double = 0.996) {
        let head = ProjectionHead(inputs: representationWidth, widths: projectionWidths)
        predictor = ProjectionHead(inputs: head.outputWidth, widths: [predictorHiddenWidth, head.outputWidth])
        targetEncoder = makeEncoder()
        targetHead = ProjectionHead(inputs: representationWidth, widths: projectionWidths)
        let encoder = makeEncoder()
        targetNetwork = MomentumNetwork(online: [encoder, head], target: [targetEncoder, targetHead],
                                        momentum: momentum)
        super.init(encoder: encoder, head: head)
    }

    /// target ← m·target + (1 − m)·online for every trained tensor of the encoder and projector.
    public func updateTargetNetwork() { targetNetwork.update() }

    public func loss(images: Tensor, views: Int) -> ObjectiveOutput {
        updateTargetNetwork()
        let viewMajor = Self.viewMajor(images, views: views)
        // Network outputs in float32 whatever the forward precision: the loss is reduced in float32.
        let predictions = predictor(head(encoder(viewMajor))).float
        let targets = withNoGrad { targetHead(targetEncoder(viewMajor)).float }
        let loss = BYOLLoss.loss(predictions: Self.splitViews(predictions, views: views),
                                 targets: Self.splitViews(targets, views: views))
        return ObjectiveOutput(loss: loss, terms: ["prediction": loss.detached()])
    }
}

extension BYOL {
    /// The projector, scaled like SimCLR's head to these small encoders.
    public static let projectionWidths = Hyperparameter.projectionWidths(default: [512, 128], head: "projector")
    /// The predictor's hidden width.
    public static let predictorWidth = Hyperparameter<Int>(
        "predictorWidth", default: 512, help: "hidden width of the predictor",
        check: .within(1...TrainingConfiguration.maximumProjectionWidth))
    /// m of the target network's momentum update (BYOL's base value).
    public static let targetMomentum = Hyperparameter<Double>(
        "targetMomentum", default: 0.996, help: "momentum m of the target network", check: .momentum)
}

extension Method {
    /// BYOL: an online network predicts a momentum target network's projection of another view; no negatives.
    public static let byol = Method(
        name: "byol", displayName: "BYOL", summary: "bootstrap your own latent (predictor against a momentum target)",
        family: .discriminative, defaultViews: 2, minimumViews: 2, comparesSets: true,
        hyperparameters: [.init(BYOL.projectionWidths), .init(BYOL.predictorWidth), .init(BYOL.targetMomentum)]
    ) { recipe in
        BYOL(makeEncoder: { recipe.encoder(outputs: recipe.latents) }, representationWidth: recipe.latents,
             projectionWidths: recipe[BYOL.projectionWidths], predictorHiddenWidth: recipe[BYOL.predictorWidth],
             momentum: recipe[BYOL.targetMomentum])
    }
}
