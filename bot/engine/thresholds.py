"""Every tuning knob of the matcher, in one place.

Calibrated by a grid search on shared/eval/dev.yaml and tests/data/regression.yaml, and
checked on tests/data/holdout.yaml, whose questions never go into the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    answer: float = 55.0
    """Score (0–100) from which the best entry is answered outright."""
    clarify: float = 50.0
    """Below this nothing fits: fall back to website and contact."""
    margin: float = 3.0
    """The best must lead the runner-up by this much, or the bot asks "Meinten Sie …?"."""
    sure: float = 85.0
    """From this score the best is answered even when a runner-up is close."""
    lead: float = 25.0
    """A best this far ahead of the runner-up is answered even below `answer`."""
    second_question: float = 0.3
    """If the runner-up explains this share of the question that the best leaves open, the
    question asks two things ("Frist Partner"): ask which one is meant."""
    clarify_window: float = 15.0
    """Runner-ups this close to the best are offered in "Meinten Sie …?"."""
    max_options: int = 3
    beta: float = 1.5
    """Weight of "the question is covered" over "the phrasing is covered" (F-beta)."""
    stopword_weight: float = 0.05
    """Weight of a stopword relative to its IDF: words like "ich", "die" barely count."""
    unknown_weight: float = 0.7
    """Weight of a word the knowledge base does not know, relative to the rarest known word."""
    unknown_noun_weight: float = 2.5
    """The same for a capitalised word inside a sentence: an unknown noun is a strong hint
    that the question is about something else ("Hundesteuer", "Reisepass")."""


DEFAULT = Thresholds()
