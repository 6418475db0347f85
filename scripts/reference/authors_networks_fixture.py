#!/usr/bin/env python3
"""Writes Tests/SimVAEMethodsTests/Fixtures/authors_networks.safetensors from the authors' own PyTorch classes.

A development tool only (never a runtime dependency). It builds the `Encoder` and `Decoder` of the paper's code
(alicebizeul/simvae, `src/model/models.py`, with `resnet18=True`) for 32 px and 64 px colour images and zdim 64,
gives every tensor deterministic values from an integer hash the Swift test repeats exactly (so the 10 million
weights need not be stored), runs one fixed batch through each network in evaluation and in training mode in float64,
and records the outputs together with every state-dict name and shape. The Swift networks must load the same names and shapes and
reproduce the outputs.

    python3 scripts/reference/authors_networks_fixture.py --authors-repo PATH/TO/simvae-checkout

needs torch and numpy; scikit-learn and scipy, which their module imports, must be importable too. torchvision is
imported by their utilities only for saving images, and is replaced by an empty stand-in when missing.
"""
import argparse
import json
import math
import pathlib
import sys
import types

import torch
from safetensors.torch import save_file

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/SimVAEMethodsTests/Fixtures/authors_networks.safetensors"
LATENTS = 64


def hashed_values(count, stream):
    """u_i = ((i + 1)·2654435761 + stream·1013904223) mod 2³² / 2³², uniform in [0, 1), exact in integers (the Swift
    test computes the same)."""
    index = torch.arange(1, count + 1, dtype=torch.int64)
    return ((index * 2654435761 + stream * 1013904223) % 2**32).to(torch.float64) / 2**32


def fill_deterministically(module):
    """Gives every floating tensor of `module` values from `hashed_values`, streamed by its rank in name order.

    Weights of rank ≥ 2 get (u − ½)·√(24 / fan), fan = numel / size(0) (zero mean, variance 2 / fan); batch-norm
    scales 0.75 + ½u, running variances 0.5 + u, everything else (biases, shifts, running means) 0.2·(u − ½). The
    counters `num_batches_tracked` stay 0.
    """
    state = module.state_dict()
    for rank, name in enumerate(sorted(state)):
        tensor = state[name]
        if not tensor.is_floating_point():
            continue
        uniform = hashed_values(tensor.numel(), rank)
        if tensor.dim() >= 2:
            values = (uniform - 0.5) * math.sqrt(24 * tensor.size(0) / tensor.numel())
        elif name.endswith("running_var"):
            values = 0.5 + uniform
        elif name.endswith("weight"):
            values = 0.75 + 0.5 * uniform
        else:
            values = 0.2 * (uniform - 0.5)
        tensor.copy_(values.reshape(tensor.shape).to(tensor.dtype))


def fixed_batch(shape, stream):
    """Images (or latents) `hashed_values` in [0, 1), the same as the Swift test."""
    return hashed_values(math.prod(shape), stream).reshape(shape)


def load_authors_classes(repo):
    sys.path.insert(0, str(repo))
    if "torchvision" not in sys.modules:
        try:
            import torchvision  # noqa: F401
        except ImportError:
            stand_in = types.ModuleType("torchvision")
            stand_in.utils = types.ModuleType("torchvision.utils")
            stand_in.utils.save_image = None
            sys.modules["torchvision"], sys.modules["torchvision.utils"] = stand_in, stand_in.utils
    from src.model.models import Decoder, Encoder
    return Encoder, Decoder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authors-repo", required=True, type=pathlib.Path,
                        help="a checkout of github.com/alicebizeul/simvae")
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    arguments = parser.parse_args()
    Encoder, Decoder = load_authors_classes(arguments.authors_repo.resolve())

    tensors, names = {}, {}
    for size, batch in ((32, 4), (64, 2)):
        net_args = {"x_dim": 3 * size * size, "c_dim": LATENTS, "resnet18": True, "n_channels": 3}
        for role, network in (("encoder", Encoder(**net_args)), ("decoder", Decoder(**net_args))):
            key = f"{role}{size}"
            network.double()  # the reference outputs in float64, so only the Swift side rounds to float32
            fill_deterministically(network)
            names[key + "_parameter_count"] = sum(p.numel() for p in network.parameters())
            inputs = fixed_batch([batch, 3, size, size] if role == "encoder" else [batch, LATENTS], size)
            with torch.no_grad():
                network.eval()
                evaluated = network(inputs)
                network.train()
                trained = network(inputs)
            if role == "encoder":  # their encoder returns (mean, log-variance); ours returns them concatenated
                evaluated, trained = torch.cat(evaluated, dim=1), torch.cat(trained, dim=1)
            else:  # 64 px decoder outputs are large: every 4th row and column is kept
                step = 1 if size == 32 else 4
                evaluated, trained = evaluated[:, :, ::step, ::step], trained[:, :, ::step, ::step]
            tensors[f"{key}.eval"] = evaluated.float().contiguous()
            tensors[f"{key}.train"] = trained.float().contiguous()
            names[key] = {name: list(tensor.shape) for name, tensor in network.state_dict().items()}
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(arguments.out), metadata={"state_dicts": json.dumps(names, sort_keys=True),
                                                     "torch": torch.__version__})
    print(f"wrote {arguments.out} ({arguments.out.stat().st_size} bytes) with torch {torch.__version__}")
    for key in sorted(k for k in names if k.endswith("_parameter_count")):
        print(f"  {key}: {names[key]}")


if __name__ == "__main__":
    main()
