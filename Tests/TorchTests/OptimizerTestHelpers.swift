@testable import Torch

/// A parameter holding `values` with the gradient `gradient` set, as `backward` would leave it.
func parameter(_ values: [Double], dtype: DType = .float64) -> Tensor {
    t(values).to(dtype).requiringGrad()
}

func setGradient(_ parameter: Tensor, _ values: [Double]) {
    parameter.grad = t(values, parameter.shape).to(parameter.dtype)
}

/// Runs `steps` optimizer steps with the gradients `gradients(step)` and returns the parameter values after each.
func trajectory(_ optimizer: Optimizer, steps: Int, gradients: (Int) -> [Double]) -> [[Double]] {
    (0..<steps).map { step in
        setGradient(optimizer.parameters[0], gradients(step))
        optimizer.step()
        return optimizer.parameters[0].doubles
    }
}
