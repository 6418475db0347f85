#!/usr/bin/env python3
"""The authors' kind of training loop for the MLP SimVAE on Fashion-MNIST, for a same-machine wall-time comparison.

What alicebizeul/simvae does for Fashion-MNIST, written here from its description: PyTorch, torchvision
augmentations applied image by image (RandomResizedCrop to 28 px with scale 0.4-1 and ratio 0.75-1.3, a random
vertical flip, ToTensor) inside a `DataLoader` with 2 worker processes, J = 2 views of each image stacked per item,
64 sets (128 images) a step, shuffled, the last partial batch dropped. The model is the paper's MLP SimVAE
(784-2000-500-500-2·10 encoder, 10-500-500-2000-784 decoder, sigmoid output), trained with the weighting of the
authors' code (Bernoulli reconstruction summed and divided by exp(-4.6), entropy 0.5·Σ 2π·log σ², the cluster prior
with variance 0.15 around each set's mean and -½‖mean‖² on the mean, all summed over the batch) by
Adam(lr 8e-5, eps 1e-4) for 12 epochs.

It prints the wall time of every epoch and of the whole training, then writes the posterior means of the
un-augmented training and test images (`train_means.npy`, `test_means.npy`, with `train_labels.npy` and
`test_labels.npy`) to --out and scores them like `simvae eval --probes knn`: the test images classified by the
labels of their k nearest training means (Euclidean), best k in 1…20, a tie going to the class of the nearest
neighbour.

    /work/torch-venv/bin/python scripts/reference/authors_loop.py --data /usr/share/datasets/fashion-mnist \
        --out /tmp/authors-loop

A development tool only; nothing in the project imports Python.
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

from pytorch_train_step import mlp  # the paper's MLP, as the training-step reference builds it


def read_idx(path):
    """An IDX file (gzipped or not) as a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load_split(folder, prefix):
    def find(name):
        for candidate in (name, name + ".gz"):
            if os.path.exists(os.path.join(folder, candidate)):
                return os.path.join(folder, candidate)
        raise SystemExit(f"{folder}: {name}[.gz] not found")
    return read_idx(find(f"{prefix}-images-idx3-ubyte")), read_idx(find(f"{prefix}-labels-idx1-ubyte"))


class Views(Dataset):
    """Each item: the J views of one image, each augmented on its own, stacked [J, 1, 28, 28]."""

    def __init__(self, images, labels, views, augment):
        self.images, self.labels, self.views = images, labels, views
        if augment:
            self.transform = T.Compose([T.RandomResizedCrop(size=28, scale=[0.4, 1.0], ratio=[0.75, 1.3]),
                                        T.RandomVerticalFlip(p=0.5), T.ToTensor()])
        else:
            self.transform = T.ToTensor()
        self.augment = augment

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        image = Image.fromarray(self.images[index], mode="L")
        if not self.augment:
            return self.transform(image), int(self.labels[index])
        return torch.stack([self.transform(image) for _ in range(self.views)], 0), int(self.labels[index])


class SimVAE(nn.Module):
    def __init__(self, zdim=10, cluster_variance=0.15, log_var_x=-4.6):
        super().__init__()
        self.zdim, self.cluster_variance, self.log_var_x = zdim, cluster_variance, log_var_x
        self.encoder = mlp([784, 2000, 500, 500, 2 * zdim])
        self.decoder = mlp([zdim, 500, 500, 2000, 784])

    def means(self, x):
        return self.encoder(x.flatten(1)).view(-1, 2, self.zdim)[:, 0]

    def loss(self, x, views):
        out = self.encoder(x.flatten(1)).view(-1, 2, self.zdim)
        mu, log_var = out[:, 0], out[:, 1]
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * log_var)
        recon = F.binary_cross_entropy(torch.sigmoid(self.decoder(z)), x.flatten(1), reduction="sum")
        recon = recon / math.exp(self.log_var_x)
        entropy = 0.5 * torch.sum(2 * math.pi * log_var)
        sets = z.view(-1, views, self.zdim)
        centre = sets.mean(1, keepdim=True)
        log_p_z_given_y = -0.5 * torch.sum((sets - centre).pow(2) / self.cluster_variance, dim=1)
        log_p_y = -0.5 * torch.sum(centre.pow(2), 1)
        prior = torch.sum(log_p_z_given_y + log_p_y)
        return recon - entropy - prior


def knn_accuracies(train, train_labels, test, test_labels, max_k=20, chunk=1024):
    """Accuracy for k = 1…max_k (Euclidean); ties go to the class whose first neighbour is nearest."""
    classes = int(train_labels.max()) + 1
    norms = train.pow(2).sum(1).unsqueeze(0)
    ranks = torch.arange(max_k, dtype=torch.float32).view(1, max_k, 1)
    correct = torch.zeros(max_k, dtype=torch.float64)
    for start in range(0, len(test), chunk):
        queries = test[start:start + chunk]
        neighbours = (norms - 2 * queries @ train.T).topk(max_k, dim=1, largest=False).indices
        one_hot = F.one_hot(train_labels[neighbours], classes).float()
        votes = one_hot.cumsum(1)
        first = (one_hot * ranks + (1 - one_hot) * max_k).min(1, keepdim=True).values
        predictions = (votes * (max_k + 1) - first).argmax(2)
        correct += (predictions == test_labels[start:start + chunk].unsqueeze(1)).double().sum(0)
    return (correct / len(test)).tolist()


def encode(model, images):
    loader = DataLoader(Views(images, np.zeros(len(images)), 1, augment=False), batch_size=1000)
    with torch.no_grad():
        return torch.cat([model.means(x) for x, _ in loader])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", required=True)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--views", type=int, default=2)
    parser.add_argument("--images-per-step", type=int, default=128)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--limit", type=int, help="train on (and score) the first N images of each split only")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    train_images, train_labels = load_split(args.data, "train")
    test_images, test_labels = load_split(args.data, "t10k")
    train_images, train_labels = train_images[:args.limit], train_labels[:args.limit]
    test_images, test_labels = test_images[:args.limit], test_labels[:args.limit]

    model = SimVAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=8e-5, eps=1e-4)
    loader = DataLoader(Views(train_images, train_labels, args.views, augment=True),
                        batch_size=args.images_per_step // args.views, shuffle=True, drop_last=True,
                        num_workers=args.workers, persistent_workers=args.workers > 0)
    epoch_seconds = []
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        epoch_start, total, steps = time.perf_counter(), 0.0, 0
        for views, _ in loader:
            x = views.flatten(0, 1)  # [sets·J, 1, 28, 28], the J views of a set adjacent
            loss = model.loss(x, args.views)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, steps = total + loss.item(), steps + 1
        epoch_seconds.append(time.perf_counter() - epoch_start)
        print(f"epoch {epoch}/{args.epochs}: {epoch_seconds[-1]:.1f} s, mean loss {total / steps:.1f}", flush=True)
    training_seconds = time.perf_counter() - start
    print(f"training: {training_seconds:.1f} s for {args.epochs} epochs", flush=True)

    model.eval()
    train_means, test_means = encode(model, train_images), encode(model, test_images)
    for name, array in [("train_means", train_means.numpy()), ("test_means", test_means.numpy()),
                        ("train_labels", train_labels.astype(np.int64)),
                        ("test_labels", test_labels.astype(np.int64))]:
        np.save(os.path.join(args.out, name + ".npy"), array)
    accuracies = knn_accuracies(train_means, torch.from_numpy(train_labels.astype(np.int64)), test_means,
                                torch.from_numpy(test_labels.astype(np.int64)))
    best = max(range(len(accuracies)), key=lambda k: (accuracies[k], -k))
    print(f"kNN (test split, best k in 1..20): {accuracies[best]:.4f} at k = {best + 1}")
    with open(os.path.join(args.out, "result.json"), "w") as handle:
        json.dump({"training_seconds": training_seconds, "epoch_seconds": epoch_seconds,
                   "knn_accuracies": accuracies, "knn_best": accuracies[best], "knn_best_k": best + 1}, handle)


if __name__ == "__main__":
    main()
