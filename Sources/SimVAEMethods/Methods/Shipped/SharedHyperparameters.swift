extension Hyperparameter where Value == Double {
    /// τ of a contrastive loss.
    static func temperature(default value: Double, methods: String) -> Hyperparameter {
        Hyperparameter("temperature", default: value, help: "τ of \(methods)'s contrastive loss", check: .positive)
    }
}

extension Hyperparameter where Value == [Int] {
    /// Widths of the projection head (or expander) on top of the zdim-wide representation: hidden widths, then the
    /// output width.
    static func projectionWidths(default widths: [Int], head: String = "projection head") -> Hyperparameter {
        Hyperparameter("projectionWidths", flag: "--projection", default: widths,
                       help: "widths of the \(head) after the zdim representation, comma-separated",
                       check: .widths(layers: TrainingConfiguration.maximumProjectionLayers,
                                      width: TrainingConfiguration.maximumProjectionWidth))
    }
}
