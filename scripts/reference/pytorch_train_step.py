#!/usr/bin/python3
"""The training step `simvae bench` times, written in PyTorch, for a same-machine speed comparison.

MLP SimVAE of the paper (784-2000-500-500-20 encoder, 10-500-500-2000-784 decoder), 128 random images in sets
of J = 2, Bernoulli likelihood on logits, exact ELBO_SSL with a Gaussian centre prior, Adam(lr 8e-5, eps 1e-4).
Run with Debian's torch (the same libtorch the Swift build links), in each OpenMP and allocator setting, to find
PyTorch's best configuration on the machine:

    /usr/bin/python3 scripts/reference/pytorch_train_step.py --threads 2
    OMP_WAIT_POLICY=PASSIVE GOMP_SPINCOUNT=10000 /usr/bin/python3 scripts/reference/pytorch_train_step.py
    MALLOC_MMAP_THRESHOLD_=67108864 MALLOC_TRIM_THRESHOLD_=268435456 /usr/bin/python3 scripts/reference/...
    GLIBC_TUNABLES=glibc.malloc.hugetlb=1 /usr/bin/python3 scripts/reference/pytorch_train_step.py

It measures like `simvae bench`: each round times the 2048³ matmul peak, then its share of the steps, and the
forward, backward and optimizer milliseconds are medians over rounds too.

A development tool only; nothing in the project imports Python.
"""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

import step_timing


def mlp(widths):
    layers = []
    for i in range(len(widths) - 1):
        if i > 0:
            layers.append(nn.ReLU())
        layers.append(nn.Linear(widths[i], widths[i + 1]))
    return nn.Sequential(*layers)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--views", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    zdim, sigma2 = 10, 0.15
    encoder = mlp([784, 2000, 500, 500, 2 * zdim])
    decoder = mlp([zdim, 500, 500, 2000, 784])
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.Adam(params, lr=8e-5, eps=1e-4)
    x = torch.rand(args.batch, 784)
    sets, views = args.batch // args.views, args.views

    phases = [0.0, 0.0, 0.0]  # seconds in forward (with the loss), backward and the optimizer since the last reset

    def loss():
        mu, logvar = encoder(x).chunk(2, dim=1)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        logits = decoder(z)
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        entropy = 0.5 * logvar.sum(1) + 0.5 * zdim * math.log(2 * math.pi * math.e)
        zs = z.view(sets, views, zdim)
        centre = zs.mean(1, keepdim=True)
        prior = -0.5 / sigma2 * (zs - centre).pow(2).sum((1, 2)) \
            - views / (2 * (sigma2 + views)) * centre.squeeze(1).pow(2).sum(1)
        return ((recon - entropy).view(sets, views).sum(1) - prior).mean()

    def step():
        step_timing.timed_step(loss, optimizer, phases)

    for _ in range(5):
        step()
    flops_per_image = 6 * sum(p.numel() for p in params if p.dim() == 2)
    figures = step_timing.measure(step, phases, args.batch, flops_per_image, args.steps)
    step_timing.print_figures("pytorch_train_step", figures)

if __name__ == "__main__":
    main()
