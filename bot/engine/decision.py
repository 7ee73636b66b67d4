"""answer / clarify / fallback from several signals, weighed by a model fitted on labelled data.

Each candidate entry of a question gets a feature vector (word overlap, meaning similarity,
their agreement, the margin to the runner-up, how much of the message the entry explains,
how much of it the knowledge base has never heard of …). A logistic regression turns it into
the probability that the entry answers the question; `Thresholds` then decide. The weights
come from `foerderbot kb fit` (see README) and live, like every threshold, in thresholds.py
or in the knowledge folder's decision.yaml.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

FEATURES: tuple[str, ...] = (
    "lexical",
    "lexical_alone",
    "semantic",
    "semantic_alone",
    "lexical_top",
    "semantic_top",
    "lexical_margin",
    "semantic_margin",
    "coverage",
    "unknown",
    "domain_words",
    "length",
    "english",
    "follow_up",
    "agreement",
    "product",
    "lexical_sure",
    "lexical_floor",
)
"""The order of a feature vector; `Weights` name theirs by these names."""


@dataclass(frozen=True)
class Weights:
    """A fitted logistic regression: intercept plus one weight per feature."""

    intercept: float
    coefficients: dict[str, float]

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(entry answers the question) for each row of `features` (columns in FEATURES order)."""
        vector = np.array([self.coefficients.get(name, 0.0) for name in FEATURES])
        return 1.0 / (1.0 + np.exp(-(features @ vector + self.intercept)))


def fit_logistic(features: np.ndarray, labels: np.ndarray, l2: float = 0.01, steps: int = 50) -> Weights:
    """Newton's method (iteratively reweighted least squares) with an L2 penalty: a few dozen
    rows per question and 14 features need nothing heavier than numpy."""
    rows, columns = features.shape
    design = np.hstack([np.ones((rows, 1)), features])
    beta = np.zeros(columns + 1)
    penalty = np.eye(columns + 1) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (labels - p) - penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return Weights(float(beta[0]), {name: float(value) for name, value in zip(FEATURES, beta[1:], strict=True)})


def length_feature(word_count: int) -> float:
    """Long messages score lower on word overlap; the model learns how much by this."""
    return math.log1p(word_count)


def reliability(probabilities: Sequence[float], correct: Sequence[bool], edges: Sequence[float]) -> list[tuple]:
    """(bucket label, count, share correct) per confidence bucket: is 0.8 right 8 times in 10?"""
    table = []
    for low, high in itertools.pairwise(edges):
        hits = [c for p, c in zip(probabilities, correct, strict=True) if low <= p < high or (high == 1 and p == 1)]
        share = sum(hits) / len(hits) if hits else float("nan")
        table.append((f"{low:.1f}–{high:.1f}", len(hits), share))
    return table
