"""answer / clarify / fallback from several signals, weighed by models fitted on labelled data.

Two small logistic regressions, both fitted by `foerderbot kb fit` (README: "Die Entscheidung
kalibrieren"):

1. **Ranking**: each candidate entry of a question part gets its word-overlap and meaning
   signals (alone and with the writer's context); the model orders the candidates.
2. **Decision**: the best candidate's standing (its ranking score, its lead over the best entry
   of another topic, whether both signals agree, how much of the message the knowledge base
   has never heard of, how long the message is …) gives the probability that answering with it
   is right. The thresholds in thresholds.py turn that probability into answer / clarify /
   fallback.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

CANDIDATE_FEATURES: tuple[str, ...] = ("lexical", "lexical_alone", "semantic", "semantic_alone", "coverage")
"""Per candidate entry; columns of `Signals.candidates`."""

DECISION_FEATURES: tuple[str, ...] = (
    "rank_score",
    "rank_margin",
    "lexical",
    "semantic",
    "lexical_margin",
    "semantic_margin",
    "coverage",
    "agreement",
    "lexical_sure",
    "lexical_floor",
    "unknown",
    "domain_words",
    "length",
    "english",
    "follow_up",
)
"""Per question part, about its best candidate."""


@dataclass(frozen=True)
class Weights:
    """A fitted logistic regression: intercept plus one weight per named feature."""

    intercept: float
    coefficients: dict[str, float]

    def probability(self, features: np.ndarray, names: Sequence[str]) -> np.ndarray:
        """P(label) per row of `features`, whose columns are `names`."""
        vector = np.array([self.coefficients.get(name, 0.0) for name in names])
        return 1.0 / (1.0 + np.exp(-(features @ vector + self.intercept)))


@dataclass(frozen=True)
class Signals:
    """What the engine measured for one question part, before any model weighed it."""

    topics: tuple[str, ...]
    """The candidate entries' topics, in the order of the rows of `candidates`."""
    candidates: np.ndarray
    """One row per candidate entry, columns CANDIDATE_FEATURES."""
    lexical_sure: np.ndarray
    """Per candidate: the first engine's word-overlap rule would answer with it."""
    unknown: float
    domain_words: float
    length: float
    english: bool
    follow_up: bool


@dataclass(frozen=True)
class Ranked:
    order: np.ndarray
    """Candidate rows, best first."""
    scores: np.ndarray
    """Ranking probabilities in that order."""
    decision: np.ndarray
    """The best candidate's DECISION_FEATURES."""


def rank(signals: Signals, ranking: Weights, lexical_floor: float) -> Ranked:
    """Order the candidates and describe the best one for the decision model."""
    scores = ranking.probability(signals.candidates, CANDIDATE_FEATURES)
    order = np.argsort(-scores, kind="stable")
    return Ranked(order, scores[order], _decision_features(signals, order, scores, lexical_floor))


def _decision_features(signals: Signals, order: np.ndarray, scores: np.ndarray, lexical_floor: float) -> np.ndarray:
    columns = {name: signals.candidates[:, i] for i, name in enumerate(CANDIDATE_FEATURES)}
    best = int(order[0])
    topic = signals.topics[best]
    others = np.array([t != topic for t in signals.topics])

    def lead(values: np.ndarray) -> float:
        return float(values[best] - (values[others].max() if others.any() else 0.0))

    lexical, semantic = columns["lexical"], columns["semantic"]
    lexical_top, semantic_top = int(np.argmax(lexical)), int(np.argmax(semantic))
    agreement = signals.topics[lexical_top] == topic == signals.topics[semantic_top]
    sure = bool(signals.lexical_sure[lexical_top]) and signals.topics[lexical_top] == topic
    return np.array(
        [
            scores[best],
            lead(scores),
            lexical[best],
            semantic[best],
            lead(lexical),
            lead(semantic),
            columns["coverage"][best],
            float(agreement),
            float(sure),
            float(lexical.max() >= lexical_floor),
            signals.unknown,
            signals.domain_words,
            signals.length,
            float(signals.english),
            float(signals.follow_up),
        ]
    )


def fit_logistic(features: np.ndarray, labels: np.ndarray, names: Sequence[str], l2: float = 0.01) -> Weights:
    """Newton's method (iteratively reweighted least squares) with a small L2 penalty: a few
    thousand rows and a dozen features need nothing heavier than numpy."""
    rows, columns = features.shape
    design = np.hstack([np.ones((rows, 1)), features])
    beta = np.zeros(columns + 1)
    penalty = np.eye(columns + 1) * l2
    penalty[0, 0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-design @ beta))
        gradient = design.T @ (labels - p) - penalty @ beta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return Weights(float(beta[0]), {name: float(value) for name, value in zip(names, beta[1:], strict=True)})


LONGEST_FITTED = 40
"""Words of the longest messages the decision model was fitted on (35 in the fitting sets, 47 in
all labelled sets). Beyond them it has learnt nothing about length."""


def length_feature(word_count: int) -> float:
    """Long messages score lower on word overlap; the model learns how much by this. Capped where
    the labelled messages end: uncapped, 100 times "Bla" got an answer on length alone."""
    return math.log1p(min(word_count, LONGEST_FITTED))


def reliability(probabilities: Sequence[float], correct: Sequence[bool], edges: Sequence[float]) -> list[tuple]:
    """(bucket, count, share correct) per confidence bucket: is 0.8 right 8 times in 10?"""
    table = []
    for low, high in itertools.pairwise(edges):
        hits = [c for p, c in zip(probabilities, correct, strict=True) if low <= p < high or (high == 1 and p == 1)]
        table.append((f"{low:.1f}–{high:.1f}", len(hits), sum(hits) / len(hits) if hits else float("nan")))
    return table
