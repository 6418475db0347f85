extension Method {
    /// An untrained encoder: the lower bound of every table.
    public static let random = Method(
        name: "random", displayName: "Random", summary: "an untrained encoder, the lower bound",
        family: .untrained, defaultViews: 1
    ) { recipe in
        RandomEncoder(encoder: recipe.encoder(outputs: recipe.latents))
    }
}
