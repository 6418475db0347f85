extension VICReg {
    /// The expander: VICReg's three 2048-wide layers.
    public static let projectionWidths = Hyperparameter.projectionWidths(default: [2048, 2048, 2048],
                                                                         head: "expander")
    /// λ, the weight of the invariance term.
    public static let invarianceWeight = Hyperparameter<Double>(
        "invarianceWeight", default: 25, help: "λ, the invariance weight", check: .nonNegative)
    /// μ, the weight of the variance term.
    public static let varianceWeight = Hyperparameter<Double>(
        "varianceWeight", default: 25, help: "μ, the variance weight", check: .nonNegative)
    /// ν, the weight of the covariance term.
    public static let covarianceWeight = Hyperparameter<Double>(
        "covarianceWeight", default: 1, help: "ν, the covariance weight", check: .nonNegative)
}

extension Method {
    /// VICReg: invariance, variance and covariance terms on expanded views.
    public static let vicreg = Method(
        name: "vicreg", displayName: "VicREG", summary: "variance-invariance-covariance regularisation",
        family: .discriminative, defaultViews: 2, minimumViews: 2, comparesSets: true,
        hyperparameters: [.init(VICReg.projectionWidths), .init(VICReg.invarianceWeight),
                          .init(VICReg.varianceWeight), .init(VICReg.covarianceWeight)]
    ) { recipe in
        VICReg(encoder: recipe.encoder(outputs: recipe.latents),
               head: recipe.projectionHead(VICReg.projectionWidths),
               weights: VICRegWeights(invariance: recipe[VICReg.invarianceWeight],
                                      variance: recipe[VICReg.varianceWeight],
                                      covariance: recipe[VICReg.covarianceWeight]))
    }
}
