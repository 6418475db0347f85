#!/usr/bin/env python3
"""Per-image torchvision/PIL baseline for the Fashion-MNIST training augmentation (a development tool, never a
runtime dependency of SimVAE).

Applies RandomResizedCrop(28, scale=(0.4, 1), ratio=(0.75, 1.3)) + RandomVerticalFlip + ToTensor to every view,
one image at a time, for batches of 13 images x J = 10 views (130 images, as `DataBenchmark`), and prints images/s
(best of --repeats timings). Reads the IDX file with gzip + numpy; nothing is downloaded.

    /usr/bin/python3 scripts/reference/torchvision_augment_baseline.py [--seconds 2] [--repeats 3]
"""
import argparse
import gzip
import time

import numpy as np
import torch
from PIL import Image
from torchvision import transforms

IMAGES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
SETS_PER_BATCH, VIEWS = 13, 10


def load_images(path):
    with gzip.open(path, "rb") as file:
        data = file.read()
    count, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, rows, cols)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", default=IMAGES)
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum time per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="measurements; the best is reported")
    parser.add_argument("--threads", type=int, default=None, help="torch intra-op threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    pixels = load_images(args.images)
    pipeline = transforms.Compose([
        transforms.RandomResizedCrop(28, scale=(0.4, 1.0), ratio=(0.75, 1.3)),
        transforms.RandomVerticalFlip(),
        transforms.ToTensor(),
    ])
    rng = np.random.default_rng(0)
    torch.manual_seed(0)

    def batch():
        indices = rng.integers(0, len(pixels), SETS_PER_BATCH)
        pictures = [Image.fromarray(pixels[i], mode="L") for i in indices]
        views = [pipeline(picture) for picture in pictures for _ in range(VIEWS)]
        return torch.stack(views).shape[0]

    batch()
    best = 0.0
    for _ in range(args.repeats):
        images, start = 0, time.perf_counter()
        while time.perf_counter() - start < args.seconds:
            images += batch()
        best = max(best, images / (time.perf_counter() - start))
    print(f"torchvision per-image: {best:.0f} images/s "
          f"(13 x {VIEWS} views per batch, best of {args.repeats})")


if __name__ == "__main__":
    main()
