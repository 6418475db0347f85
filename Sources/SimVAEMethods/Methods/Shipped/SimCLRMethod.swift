extension SimCLR {
    /// τ of NT-Xent (0.5, as in SimCLR's CIFAR-10 runs).
    public static let temperature = Hyperparameter.temperature(default: 0.5, methods: "simclr")
    /// The projection head: SimCLR's 2048-wide hidden layer scaled to these small encoders.
    public static let projectionWidths = Hyperparameter.projectionWidths(default: [512, 128])
}

extension Method {
    /// SimCLR: NT-Xent between the projected views of each set, the other sets' views as negatives.
    public static let simclr = Method(
        name: "simclr", displayName: "SimCLR", summary: "contrastive learning with in-batch negatives",
        family: .discriminative, defaultViews: 2, minimumViews: 2, comparesSets: true,
        hyperparameters: [.init(SimCLR.temperature), .init(SimCLR.projectionWidths)]
    ) { recipe in
        SimCLR(encoder: recipe.encoder(outputs: recipe.latents),
               head: recipe.projectionHead(SimCLR.projectionWidths),
               temperature: recipe[SimCLR.temperature])
    }
}
