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
FITTED = {'ranking': {'intercept': -3.3264,
             'coefficients': {'lexical': 0.935,
                              'lexical_alone': 5.0295,
                              'semantic': 1.383,
                              'semantic_alone': 2.8122,
                              'coverage': -3.2852}},
 'decision': {'intercept': -5.1953,
              'coefficients': {'rank_score': 1.9365,
                               'rank_margin': 1.8893,
                               'lexical': 0.3287,
                               'semantic': 0.7034,
                               'lexical_margin': 1.3117,
                               'semantic_margin': 0.7589,
                               'coverage': 0.8058,
                               'agreement': 0.4871,
                               'lexical_sure': 0.9788,
                               'lexical_floor': 0.6058,
                               'unknown': -1.119,
                               'domain_words': -0.262,
                               'length': 1.5397,
                               'english': 0.8769,
                               'follow_up': 1.5254}},
 'answer': 0.8,
 'clarify': 0.1,
 'second': 0.9}  # written by `foerderbot kb fit`: do not edit by hand
# fmt: on


def _weights(fitted: dict) -> Weights:
    return Weights(fitted["intercept"], dict(fitted["coefficients"]))


@dataclass(frozen=True)
class Thresholds:
    ranking: Weights = field(default_factory=lambda: _weights(FITTED["ranking"]))
    """Orders the candidates of a question part by their word-overlap and meaning signals."""
    decision: Weights = field(default_factory=lambda: _weights(FITTED["decision"]))
    """The best candidate's standing → probability that answering with it is right."""
    answer: float = FITTED["answer"]
    """Probability from which the best entry is answered."""
    clarify: float = FITTED["clarify"]
    """From this probability (and below `answer`) the bot asks "Meinten Sie …?"; below it falls back."""
    second: float = FITTED["second"]
    """A second question in the message is answered too from this probability."""
    follow_on: float = 0.2
    """An elliptical follow-up ("Auch Apps?") keeps the previous topic only if what it names is this
    close in meaning to one of the previous entry's phrasings (set on hand-written probes: "Apps",
    "Lünen", "Schulen" 0.21–0.5 after their questions; "Pizza", "Urlaub", "das Wetter" 0.13 and below,
    "Fußball", "Autos" 0.18–0.19)."""
    clarify_window: float = 0.2
    """Candidates this close (in ranking score) to the best are offered in "Meinten Sie …?"."""
    max_options: int = 3
    follow_up_minutes: int = 30
    """A chat's previous answer helps to understand "Und Vereine?" for this long."""
    lexical_floor: float = 0.5
    """Below this word-overlap score no entry shares enough words with the message to ask back."""
    lexical_sure: float = 0.85
    lexical_answer: float = 0.55
    lexical_margin: float = 0.03
    lexical_lead: float = 0.25
    """The word-overlap rule of the first engine (score, lead over the runner-up), kept as a signal."""
    beta: float = 1.5
    """Weight of "the question is covered" over "the phrasing is covered" (F-beta)."""
    stopword_weight: float = 0.05
    """Weight of a stopword relative to its IDF: words like "ich", "die" barely count."""
    unknown_weight: float = 0.7
    """Weight of a word the knowledge base does not know, relative to the rarest known word."""
    unknown_noun_weight: float = 2.5
    """The same for a capitalised word inside a sentence: an unknown noun is a strong hint
    that the question is about something else ("Hundesteuer", "Reisepass")."""
    target_weight: float = 2.0
    """An unknown noun after "für" in the question counts this much more: it names what the question
    is for ("Bewerbungsfrist für die Polizei", "Zuschuss für ein Jobticket", "Partner für den Tanzkurs")."""
    place_weight: float = 0.5
    """Factor on the weight of a place named after "in", "aus" …: in "Wie ist das Wetter in
    Marl?" the town says where, the question is about the weather (measured on the fit sets:
    0.5 rejected more traps than 0.3 or 0.15 at the same accuracy)."""


DEFAULT = Thresholds()
