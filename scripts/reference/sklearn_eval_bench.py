#!/usr/bin/env python3
"""Times scikit-learn's kNN sweep and GaussianMixture on the same synthetic data as `EvaluationBenchmark`.

A development tool only. The Swift side must first dump `EvaluationBenchmark.syntheticSplits()` as raw
little-endian files (float32 representations, int64 labels): /tmp/evalbench_{train,test}_{x,y}.bin, or a prefix
given as the first argument. Run:  python3 scripts/reference/sklearn_eval_bench.py [PREFIX]
"""
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics.cluster import contingency_matrix
from sklearn.mixture import GaussianMixture
from sklearn.neighbors import KNeighborsClassifier

PREFIX = sys.argv[1] if len(sys.argv) > 1 else "/tmp/evalbench_"


def load(name, dtype, width=None):
    values = np.fromfile(f"{PREFIX}{name}.bin", dtype=dtype)
    return values.reshape(-1, width) if width else values


def matched_accuracy(labels, predictions):
    table = contingency_matrix(labels, predictions)
    rows, columns = linear_sum_assignment(table, maximize=True)
    return float(table[rows, columns].sum() / len(labels))


def main():
    train_y, test_y = load("train_y", np.int64), load("test_y", np.int64)
    train_x = load("train_x", np.float32, len(load("train_x", np.float32)) // len(train_y))
    test_x = load("test_x", np.float32, train_x.shape[1])

    start = time.perf_counter()
    accuracies = [KNeighborsClassifier(n_neighbors=k).fit(train_x, train_y).score(test_x, test_y)
                  for k in range(1, 21)]
    knn_seconds = time.perf_counter() - start
    best = int(np.argmax(accuracies))
    print(f"sklearn kNN sweep k=1..20: {knn_seconds:.2f} s, best k={best + 1} acc={accuracies[best]:.4f}")

    start = time.perf_counter()
    gmm = GaussianMixture(n_components=10, covariance_type="full", n_init=10, random_state=0).fit(train_x)
    gmm_seconds = time.perf_counter() - start
    print(f"sklearn GMM full, n_init=10: {gmm_seconds:.2f} s, "
          f"test acc={matched_accuracy(test_y, gmm.predict(test_x)):.4f}, lower bound={gmm.lower_bound_:.4f}")


if __name__ == "__main__":
    main()
