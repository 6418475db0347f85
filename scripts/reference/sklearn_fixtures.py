#!/usr/bin/env python3
"""Writes Tests/SimVAEEvalTests/Fixtures/sklearn_clustering.json: reference values from scikit-learn.

A development tool only (never a runtime dependency): it records NMI (arithmetic mean) and ARI for a few
deterministic label pairs, and, for well-separated Gaussian blobs, the accuracy of
GaussianMixture(covariance_type='full', n_init=10, random_state=0) after Hungarian matching.
Run from the repository root:  python3 scripts/reference/sklearn_fixtures.py
"""
import json
import pathlib

import numpy as np
import sklearn
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from sklearn.metrics.cluster import contingency_matrix
from sklearn.mixture import GaussianMixture

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/SimVAEEvalTests/Fixtures/sklearn_clustering.json"


def matched_accuracy(labels, predictions):
    table = contingency_matrix(labels, predictions)
    rows, columns = linear_sum_assignment(table, maximize=True)
    return float(table[rows, columns].sum() / len(labels))


def label_pairs(rng):
    pairs = {
        "textbook": ([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]),
        "single_cluster": ([0, 0, 1, 1, 2, 2], [5, 5, 5, 5, 5, 5]),
        "all_singletons": ([0, 0, 1, 1], [0, 1, 2, 3]),
        "negative_ari": ([0, 0, 1, 1], [0, 1, 0, 1]),
    }
    for name, n, k_true, k_pred in [("random_small", 40, 3, 4), ("random_large", 500, 10, 10)]:
        labels = rng.integers(0, k_true, n)
        predictions = np.where(rng.random(n) < 0.6, labels, rng.integers(0, k_pred, n))
        pairs[name] = (labels.tolist(), predictions.tolist())
    cases = []
    for name, (labels, predictions) in pairs.items():
        cases.append({
            "name": name,
            "labels": [int(v) for v in labels],
            "predictions": [int(v) for v in predictions],
            "nmi": float(normalized_mutual_info_score(labels, predictions)),
            "ari": float(adjusted_rand_score(labels, predictions)),
            "accuracy": matched_accuracy(labels, predictions),
        })
    return cases


def blobs(rng, components=3, per_component=60, dimension=2):
    centres = np.array([[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]])[:components, :dimension]
    points = np.concatenate([c + rng.normal(size=(per_component, dimension)) for c in centres])
    labels = np.repeat(np.arange(components), per_component)
    order = rng.permutation(len(labels))
    points, labels = points[order], labels[order]
    gmm = GaussianMixture(n_components=components, covariance_type="full", n_init=10, random_state=0)
    predictions = gmm.fit_predict(points)
    return {
        "components": components,
        "points": np.round(points, 6).tolist(),
        "labels": labels.tolist(),
        "gmm_accuracy": matched_accuracy(labels, predictions),
        "gmm_nmi": float(normalized_mutual_info_score(labels, predictions)),
        "gmm_ari": float(adjusted_rand_score(labels, predictions)),
    }


def main():
    rng = np.random.default_rng(1234)
    fixture = {"sklearn_version": sklearn.__version__, "label_pairs": label_pairs(rng), "blobs": blobs(rng)}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
