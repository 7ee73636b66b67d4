"""Every tuning knob of the engine, in one place.

The matcher's weights were set by a grid search on shared/eval/dev.yaml and
tests/data/regression.yaml. The decision (answer / clarify / fallback) is a logistic
regression over several signals; its weights and thresholds are written into `FITTED` below
by `foerderbot kb fit` (see README) and checked on holdout sets that are never tuned on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.engine.decision import Weights

# fmt: off
FITTED = {'intercept': -1.2604,
 'coefficients': {'lexical': -1.1318,
                  'lexical_alone': 3.3356,
                  'semantic': 0.1487,
                  'semantic_alone': 1.9589,
                  'lexical_top': -0.0925,
                  'semantic_top': 0.4987,
                  'lexical_margin': 0.6237,
                  'semantic_margin': 0.2431,
                  'coverage': -1.6442,
                  'unknown': -1.9991,
                  'domain_words': -0.6517,
                  'length': 0.2621,
                  'english': 1.6578,
                  'follow_up': -0.0152,
                  'agreement': 0.4154,
                  'product': 0.8486,
                  'lexical_sure': 0.5237,
                  'lexical_floor': 0.0806},
 'answer': 0.7,
 'clarify': 0.2,
 'margin': 0.2,
 'sure': 0.9,
 'second': 0.9}  # written by `foerderbot kb fit`: do not edit by hand
# fmt: on


@dataclass(frozen=True)
class Thresholds:
    weights: Weights = field(default_factory=lambda: Weights(FITTED["intercept"], dict(FITTED["coefficients"])))
    """The decision model: signals of a candidate → probability that it answers the question."""
    answer: float = FITTED["answer"]
    """Probability from which the best entry is answered outright."""
    clarify: float = FITTED["clarify"]
    """Below this nothing fits: fall back to website and contact."""
    margin: float = FITTED["margin"]
    """The best must lead the runner-up by this much, or the bot asks "Meinten Sie …?"."""
    sure: float = FITTED["sure"]
    """From this probability the best is answered even when a runner-up is close."""
    second: float = FITTED["second"]
    """A second question in the message is answered too from this probability."""
    lexical_sure: float = 0.85
    lexical_answer: float = 0.55
    lexical_margin: float = 0.03
    lexical_lead: float = 0.25
    lexical_floor: float = 0.5
    """The word-overlap rule of the first engine (score, lead over the runner-up), kept as a signal."""
    clarify_window: float = 0.25
    """Runner-ups this close (in probability) to the best are offered in "Meinten Sie …?"."""
    max_options: int = 3
    follow_up_minutes: int = 30
    """A chat's previous answer helps to understand "Und Vereine?" for this long."""
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
