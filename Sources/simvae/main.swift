print("simvae")
