import Torch

/// One optimisation step of an objective: the forward pass and the loss under autocast in the chosen precision,
/// then the backward pass and the update outside it (through a loss scaler in float16). Shared by the trainer
/// and `DeviceCheck`, so that what is checked is what trains.
public enum TrainingStep {
    /// Takes one step of `optimizer` on `images` (`views` per set) with `model` on `compute.device` (laid out
    /// channels-last when `compute.channelsLast`, as the model's weights must then be); returns the
    /// objective's output, still on the device. `beforeUpdate` sees it before the backward pass (the trainer
    /// refuses a non-finite loss there on the CPU); `dataParallel` averages the gradients over its group between
    /// the backward pass and the update.
    /// - Throws: what `beforeUpdate` throws, a `DistributedError`, or libtorch's failure when called inside
    ///   `Tensor.checking`.
    @discardableResult
    public static func run(_ model: any Objective, optimizer: any Optimizer, images: Tensor, views: Int,
                           compute: ComputeSettings, lossScaler: LossScaler? = nil, dataParallel: DataParallel? = nil,
                           beforeUpdate: (ObjectiveOutput) throws -> Void = { _ in }) throws -> ObjectiveOutput {
        optimizer.zeroGrad()
        let images = compute.channelsLast ? images.channelsLast : images
        let output = try Autocast.run(on: compute.device, to: compute.precision.autocastType) {
            model.loss(images: images, views: views)
        }
        try beforeUpdate(output)
        if let lossScaler {
            lossScaler.scaled(output.loss).backward()
            try dataParallel?.averageGradients()
            lossScaler.step(optimizer)
        } else {
            output.loss.backward()
            try dataParallel?.averageGradients()
            optimizer.step()
        }
        return output
    }
}
