extension VAE {
    /// β of the β-VAE.
    public static let beta = Hyperparameter<Double>("beta", default: 4, help: "β, the weight of the KL term",
                                                    check: .nonNegative)
}

extension Method {
    /// The VAE (β = 1), trained on single images.
    public static let vae = Method(
        name: "vae", displayName: "VAE", summary: "the variational autoencoder", family: .generative, defaultViews: 1
    ) { recipe in
        VAE(encoder: recipe.encoder(outputs: 2 * recipe.latents), decoder: recipe.decoder(), latents: recipe.latents,
            imageShape: recipe.imageShape, likelihood: recipe.likelihood, beta: 1)
    }

    /// The β-VAE, whose KL term weighs β.
    public static let betaVAE = Method(
        name: "beta-vae", displayName: "β-VAE", summary: "the VAE with a weighted KL term", family: .generative,
        defaultViews: 1, hyperparameters: [.init(VAE.beta)]
    ) { recipe in
        VAE(encoder: recipe.encoder(outputs: 2 * recipe.latents), decoder: recipe.decoder(), latents: recipe.latents,
            imageShape: recipe.imageShape, likelihood: recipe.likelihood, beta: recipe[VAE.beta])
    }
}
