extension MoCo {
    /// τ of the loss (0.2, MoCo v2's).
    public static let temperature = Hyperparameter.temperature(default: 0.2, methods: "moco")
    /// The projection head of the query and key networks.
    public static let projectionWidths = Hyperparameter.projectionWidths(default: [512, 128])
    /// m of the key network's momentum update (PAPER.md §3).
    public static let momentum = Hyperparameter<Double>(
        "mocoMomentum", default: 0.99, help: "momentum m of the key network", check: .momentum)
    /// Keys in the queue of negatives.
    public static let queueSize = Hyperparameter<Int>(
        "queueSize", default: 4096, help: "keys in the queue of negatives",
        check: .within(1...TrainingConfiguration.maximumQueueSize))
}

extension Method {
    /// MoCo v2: a contrastive loss against a momentum key network and a queue of past keys.
    public static let moco = Method(
        name: "moco", displayName: "MoCo", summary: "contrastive learning against a momentum encoder's queue",
        family: .discriminative, defaultViews: 2, minimumViews: 2,
        hyperparameters: [.init(MoCo.temperature), .init(MoCo.projectionWidths), .init(MoCo.momentum),
                          .init(MoCo.queueSize)]
    ) { recipe in
        MoCo(makeEncoder: { recipe.encoder(outputs: recipe.latents) }, representationWidth: recipe.latents,
             headWidths: recipe[MoCo.projectionWidths], queueSize: recipe[MoCo.queueSize],
             momentum: recipe[MoCo.momentum], temperature: recipe[MoCo.temperature])
    }
}
