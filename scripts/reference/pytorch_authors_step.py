#!/usr/bin/python3
"""The authors' CIFAR-10 SimVAE training step that `simvae bench --only authors-step` times, written in PyTorch, for
a same-machine speed comparison on the same libtorch.

The networks follow the structure of the authors' released code (alicebizeul/simvae, `src/model/resnet.py`,
`decoders.py`, `models.py`), written here from that structure:

- encoder: a 3×3 unpadded stem convolution with bias (4×4 without bias above 32 px) to 64 channels, batch norm,
  ReLU, 3×3/2 max-pool, then three stages of two BasicBlocks with 32, 64 and 128 channels (the first block of every
  stage has a 1×1 projection shortcut, the last two stages halve the resolution), flatten, linear to 2·zdim;
- decoder: their `ResNetDec18`: linear to 512·2·2 (512·4·4 at 64 px), four stages of two transposed-convolution
  blocks (512→256, 256→128, 128→64 with stride 2, then 64→64), a block adding its shortcut only where it has an
  upsampling projection, and a 7×7/2 transposed convolution to the image channels.

The step: random 32×32×3 images as 128/J sets (rounded down, as `simvae train` and the authors' code split a batch:
128 images for J = 2, 120 for J = 10) of J views, in set-major rows as `simvae bench` lays them out,
zdim 64, a Gaussian likelihood with log σ_x² = −4.6, the project's `authors` SimVAE objective (half the squared error
of sigmoid means divided by σ_x², an entropy weighted by 2π, the centre prior's coefficient ½, summed over the
batch), Adam(lr 8e-5, eps 1e-4). Run it with the torch whose libtorch the Swift binary links:

    /usr/bin/python3 scripts/reference/pytorch_authors_step.py --views 2 --threads 2          # Debian's 1.13
    <venv>/bin/python scripts/reference/pytorch_authors_step.py --views 10 --threads 2  # the wheel

It measures like `simvae bench` (`step_timing.py`): warm-up steps, then rounds that each time the 2048³ matmul peak
and then their share of the steps; every figure is a median over the rounds. `--profile` prints PyTorch's
per-operator table for a few extra steps instead.

A development tool only; nothing in the project imports Python.
"""
import argparse
import math

import torch
import torch.nn as nn

import step_timing


def batch_norm(channels):
    return nn.BatchNorm2d(channels)


class ResidualBlock(nn.Module):
    """Two 3×3 convolutions with batch norm; a 1×1 projection shortcut when the shape changes."""

    def __init__(self, inputs, outputs, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, outputs, 3, stride=stride, padding=1, bias=False)
        self.bn1 = batch_norm(outputs)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(outputs, outputs, 3, padding=1, bias=False)
        self.bn2 = batch_norm(outputs)
        self.downsample = None
        if stride != 1 or inputs != outputs:
            self.downsample = nn.Sequential(nn.Conv2d(inputs, outputs, 1, stride=stride, bias=False),
                                            batch_norm(outputs))

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        shortcut = x if self.downsample is None else self.downsample(x)
        return self.relu(y + shortcut)


class AuthorsEncoder(nn.Module):
    """Images [N, C, S, S] to [N, 2·zdim] (means, then log-variances)."""

    def __init__(self, channels, size, zdim, widths=(32, 64, 128)):
        super().__init__()
        if size <= 32:
            stem = nn.Conv2d(channels, 64, 3, stride=1)
        else:
            stem = nn.Conv2d(channels, 64, 4, stride=1, bias=False)
        stages, inputs = [], 64
        for index, width in enumerate(widths):
            stride = 1 if index == 0 else 2
            stages.append(nn.Sequential(ResidualBlock(inputs, width, stride), ResidualBlock(width, width)))
            inputs = width
        self.layers = nn.Sequential(stem, batch_norm(64), nn.ReLU(inplace=True),
                                    nn.MaxPool2d(3, stride=2, padding=1), *stages)
        # The stages leave a (size / 8)² field: 4×4 at 32 px, 8×8 at 64 px.
        self.head_c = nn.Sequential(nn.Flatten(), nn.Linear(widths[-1] * (size // 8) ** 2, 2 * zdim))

    def forward(self, x):
        return self.head_c(self.layers(x))


def transposed3x3(inputs, outputs, stride=1, output_padding=0):
    return nn.ConvTranspose2d(inputs, outputs, 3, stride=stride, padding=1, output_padding=output_padding,
                              bias=False)


class TransposedBlock(nn.Module):
    """3×3 transposed convolution (strided in an upsampling block), BN, ReLU, 3×3 transposed convolution, BN; the
    shortcut (a strided 1×1 transposed convolution with BN) is added only in upsampling blocks; a final ReLU."""

    def __init__(self, inputs, outputs, stride=1):
        super().__init__()
        padding = 1 if stride > 1 else 0
        self.conv3 = transposed3x3(inputs, outputs, stride, padding)
        self.bn3 = batch_norm(outputs)
        self.conv1 = transposed3x3(outputs, outputs)
        self.bn1 = batch_norm(outputs)
        self.relu = nn.ReLU(inplace=True)
        self.upsample = None
        if stride > 1:
            self.upsample = nn.Sequential(
                nn.ConvTranspose2d(inputs, outputs, 1, stride=stride, output_padding=padding, bias=False),
                batch_norm(outputs))

    def forward(self, x):
        y = self.bn1(self.conv1(self.relu(self.bn3(self.conv3(x)))))
        if self.upsample is not None:
            y = y + self.upsample(x)
        return self.relu(y)


class AuthorsDecoder(nn.Module):
    """Latents [N, zdim] to pre-sigmoid means [N, C, S, S] for S = 32 or 64."""

    def __init__(self, channels, size, zdim):
        super().__init__()
        self.field = 2 if size == 32 else 4
        self.bn1 = batch_norm(3)  # declared, never applied, as in the authors' module: 6 parameters
        self.linear = nn.Linear(zdim, 512 * self.field * self.field)

        def stage(width, upsample):
            inputs = 2 * width if upsample else width
            return nn.Sequential(TransposedBlock(inputs, inputs), TransposedBlock(inputs, width, 2 if upsample else 1))

        self.layer4 = stage(256, True)
        self.layer3 = stage(128, True)
        self.layer2 = stage(64, True)
        self.layer1 = stage(64, False)
        self.conv1 = nn.ConvTranspose2d(64, channels, 7, stride=2, padding=3, output_padding=1)

    def forward(self, z):
        x = self.linear(z).view(z.size(0), 512, self.field, self.field)
        return self.conv1(self.layer1(self.layer2(self.layer3(self.layer4(x)))))


def forward_flops_per_image(encoder, decoder, x, zdim):
    """2 FLOPs per multiply-add of every convolution, transposed convolution and linear layer in one forward pass
    of one image (batch norm, ReLU, pooling and the loss are left out, as is usual)."""
    total = [0]

    def count(module, inputs, output):
        if isinstance(module, nn.ConvTranspose2d):
            # Every input pixel scatters a k×k×outputs patch.
            k = module.kernel_size[0] * module.kernel_size[1]
            total[0] += 2 * inputs[0][0].numel() * module.out_channels * k // module.groups
        elif isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            total[0] += 2 * output[0].numel() * module.in_channels * k // module.groups
        elif isinstance(module, nn.Linear):
            total[0] += 2 * module.in_features * module.out_features

    hooks = [m.register_forward_hook(count) for m in list(encoder.modules()) + list(decoder.modules())]
    with torch.no_grad():
        decoder(encoder(x[:1])[:, :zdim])
    for hook in hooks:
        hook.remove()
    return total[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--views", type=int, default=2)
    parser.add_argument("--size", type=int, default=32, choices=[32, 64])
    parser.add_argument("--channels-last", action="store_true", help="images and weights in channels-last layout")
    parser.add_argument("--profile", action="store_true", help="print the per-operator profile of 3 steps")
    args = parser.parse_args()
    if not 2 <= args.views <= args.batch:
        parser.error(f"--views must be between 2 and --batch ({args.batch}), got {args.views}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    zdim, channels, log_variance, cluster_variance = 64, 3, -4.6, 0.15
    encoder = AuthorsEncoder(channels, args.size, zdim)
    decoder = AuthorsDecoder(channels, args.size, zdim)
    sets, views = args.batch // args.views, args.views
    images = sets * views
    x = torch.rand(images, channels, args.size, args.size)
    if args.channels_last:
        encoder, decoder = encoder.to(memory_format=torch.channels_last), decoder.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    encoder_parameters = sum(p.numel() for p in encoder.parameters())
    decoder_parameters = sum(p.numel() for p in decoder.parameters())
    flops_forward = forward_flops_per_image(encoder, decoder, x, zdim)
    # The utilisation convention: a training step costs 3 forward passes (forward, input and weight gradients).
    flops_per_image = 3 * flops_forward
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.Adam(params, lr=8e-5, eps=1e-4)
    reconstruction_weight, entropy_weight = math.exp(-log_variance), 2 * math.pi
    entropy_constant = 0.5 * zdim * math.log(2 * math.pi * math.e)
    log_normaliser = 0.5 * zdim * (views * math.log(2 * math.pi) + (views - 1) * math.log(cluster_variance)
                                   + math.log(cluster_variance + views))

    phases = [0.0, 0.0, 0.0]  # seconds in forward (with the loss), backward and the optimizer since the last reset

    def loss():
        mu, logvar = encoder(x).chunk(2, dim=1)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        decoded = decoder(z)
        reconstruction = 0.5 * (torch.sigmoid(decoded) - x).reshape(images, -1).pow(2).sum(1)
        entropy = 0.5 * logvar.sum(1) + entropy_constant
        zs = z.view(sets, views, zdim)
        centre = zs.mean(1, keepdim=True)
        prior = -0.5 / cluster_variance * (zs - centre).pow(2).sum((1, 2)) \
            - 0.5 * centre.squeeze(1).pow(2).sum(1) - log_normaliser
        per_set = (reconstruction * reconstruction_weight - entropy * entropy_weight).view(sets, views).sum(1) - prior
        # The logged terms `simvae bench`'s step computes as well.
        _ = (reconstruction.sum().detach() / sets, entropy.sum().detach() / sets, prior.mean().detach())
        return per_set.sum()

    def step():
        step_timing.timed_step(loss, optimizer, phases)

    print(f"pytorch_version {torch.__version__}")
    print(f"pytorch_authors_encoder_parameters {encoder_parameters}")
    print(f"pytorch_authors_decoder_parameters {decoder_parameters}")
    print(f"pytorch_authors_forward_gflop_per_image {flops_forward / 1e9:.4f}")
    for _ in range(args.warmup):
        step()
    if args.profile:
        with torch.autograd.profiler.profile() as profile:
            for _ in range(3):
                step()
        print(profile.key_averages().table(sort_by="self_cpu_time_total", row_limit=30))
        return

    figures = step_timing.measure(step, phases, images, flops_per_image, args.steps, args.rounds)
    step_timing.print_figures(f"pytorch_authors_step_j{views}", figures)

if __name__ == "__main__":
    main()
