extension CRVAE {
    /// λ of the consistency term.
    public static let consistencyWeight = Hyperparameter<Double>(
        "consistencyWeight", default: 1, help: "λ of the consistency term", check: .nonNegative)
}

extension Method {
    /// CR-VAE: a VAE with a consistency term between the posteriors of two views.
    public static let crVAE = Method(
        name: "cr-vae", displayName: "CR-VAE", summary: "the consistency-regularised VAE", family: .generative,
        defaultViews: 2, minimumViews: 2, hyperparameters: [.init(CRVAE.consistencyWeight)]
    ) { recipe in
        CRVAE(encoder: recipe.encoder(outputs: 2 * recipe.latents), decoder: recipe.decoder(),
              latents: recipe.latents, imageShape: recipe.imageShape, likelihood: recipe.likelihood,
              consistencyWeight: recipe[CRVAE.consistencyWeight])
    }
}
