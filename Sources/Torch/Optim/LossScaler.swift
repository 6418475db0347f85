/// Dynamic loss scaling for float16 training (as PyTorch's `GradScaler`): the loss is multiplied by a large
/// scale before the backward pass so that small float16 gradients do not underflow; before the update the
/// gradients are divided by it again. A step whose gradients hold an infinity or NaN (the scale was too large) is
/// skipped and the scale is multiplied by `backoffFactor`; after `growthInterval` good steps in a row it is
/// multiplied by `growthFactor`.
///
/// Deciding whether to skip reads one value back from the device per step.
public final class LossScaler {
    /// The factor the loss is multiplied by.
    public private(set) var scale: Double
    /// What the scale is multiplied by after `growthInterval` good steps (> 1).
    public let growthFactor: Double
    /// What the scale is multiplied by after a step with non-finite gradients (in (0, 1)).
    public let backoffFactor: Double
    /// Good steps in a row after which the scale grows.
    public let growthInterval: Int
    /// Good steps since the scale last changed.
    public private(set) var goodSteps = 0
    /// Steps skipped so far for non-finite gradients.
    public private(set) var skippedSteps = 0

    /// A scaler with PyTorch's defaults: scale 2¹⁶, doubling after 2 000 good steps, halving after a bad one.
    public init(initialScale: Double = 65_536, growthFactor: Double = 2, backoffFactor: Double = 0.5,
                growthInterval: Int = 2_000) {
        precondition(initialScale > 0 && growthFactor > 1 && backoffFactor > 0 && backoffFactor < 1
                     && growthInterval >= 1, "invalid loss scaler settings")
        self.scale = initialScale
        self.growthFactor = growthFactor
        self.backoffFactor = backoffFactor
        self.growthInterval = growthInterval
    }

    /// `loss` times the current scale, to back-propagate instead of `loss`.
    public func scaled(_ loss: Tensor) -> Tensor { loss * scale }

    /// Divides the gradients of `optimizer`'s parameters by the scale; if they are all finite, takes the
    /// optimizer's step; then updates the scale. Returns whether the step was taken.
    @discardableResult
    public func step(_ optimizer: any Optimizer) -> Bool {
        let gradients = optimizer.parameters.compactMap(\.grad)
        let finite = withNoGrad {
            for gradient in gradients { gradient.mul_(1 / scale) }
            guard !gradients.isEmpty else { return true }
            // 0 · x is 0 for every finite x and NaN for ±∞ and NaN, so the sum is 0 exactly when every gradient is
            // finite: one value read back from the device for all of them.
            return Tensor.stack(gradients.map { ($0 * 0).sum() }).sum().item == 0
        }
        if finite {
            optimizer.step()
            goodSteps += 1
            if goodSteps == growthInterval {
                scale *= growthFactor
                goodSteps = 0
            }
        } else {
            skippedSteps += 1
            scale *= backoffFactor
            goodSteps = 0
        }
        return finite
    }
}
