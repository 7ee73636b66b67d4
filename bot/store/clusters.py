"""Group unanswered questions by similar wording, so operators see topics, not single lines."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import Stemmer
from rapidfuzz import fuzz, process

from bot.engine.spelling import fold
from bot.personal import PLACEHOLDERS, without_personal

SIMILAR = 85
"""token_sort_ratio from which two questions count as the same question (0–100)."""
MAX_DISTINCT = 5000
"""Distinct wordings clustered at most (the most frequent); the rest would be singletons anyway."""
MAX_EXAMPLES = 5
WORD_EXAMPLES = 3


@dataclass
class Cluster:
    representative: str
    count: int = 0
    weight: float = 0.0
    examples: list[str] = field(default_factory=list)
    closest: Counter = field(default_factory=Counter)
    disliked: int = 0
    """Questions of it that were answered and got 👎: the answer needs work, not the phrasings."""

    @property
    def closest_entry(self) -> str | None:
        return self.closest.most_common(1)[0][0] if self.closest else None


@dataclass(frozen=True)
class Unanswered:
    text: str
    closest_entry: str | None
    weight: float = 1.0
    noise: bool = False
    """Nothing in the question matched the knowledge base at all."""
    disliked: bool = False
    """Answered with `closest_entry`, and the answer got 👎."""


def _normalise(text: str) -> str:
    """One spelling for "Förderung", "Foerderung" and "förderung?": punctuation and case go; so do
    the labels of replaced personal data – "Ich heiße [Name], kann ich per Fax …?" asks what "Kann
    ich per Fax …?" asks."""
    text = without_personal(text)  # "Meine Nummer ist [Telefon]" with its lead
    for label in PLACEHOLDERS:
        text = text.replace(label, " ")
    return " ".join(re.findall(r"[^\W_]+", fold(text)))


def cluster(questions: list[Unanswered]) -> list[Cluster]:
    """Clusters, most pressing (weighted count) first."""
    by_wording: dict[str, list[Unanswered]] = {}
    for question in questions:
        by_wording.setdefault(_normalise(question.text), []).append(question)
    wordings = sorted(by_wording, key=lambda w: -len(by_wording[w]))[:MAX_DISTINCT]
    clusters: list[Cluster] = []
    representatives: list[str] = []
    for wording in wordings:
        match = process.extractOne(wording, representatives, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
        if match:
            target = clusters[match[2]]
        else:
            target = Cluster(wording)
            clusters.append(target)
            representatives.append(wording)
        for question in by_wording[wording]:
            target.count += 1
            target.weight += question.weight
            if question.closest_entry:
                target.closest[question.closest_entry] += 1
            target.disliked += question.disliked
        example = by_wording[wording][0].text
        if len(target.examples) < MAX_EXAMPLES and example not in target.examples:
            target.examples.append(example)
    return sorted(clusters, key=lambda c: (-c.weight, -c.count))


@dataclass
class WordGap:
    """A word the knowledge base does not know, and the unanswered questions that use it."""

    word: str
    count: int = 0
    examples: list[str] = field(default_factory=list)


def word_gaps(texts: Iterable[str], unknown_words: Callable[[str], list[str]]) -> list[WordGap]:
    """Unknown words by the number of unanswered questions that use them, most frequent first; one
    line per word whatever its form ("Vordruck", "Vordrucke", "vordrucke": same stem), shown as
    written most often. Each distinct text is read once: people ask the same question many times."""
    stem = Stemmer.Stemmer("german").stemWord
    gaps: dict[str, WordGap] = {}
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for text, times in Counter(texts).items():
        forms: dict[str, str] = {}
        for word in unknown_words(text):
            forms.setdefault(stem(fold(word)), word)
        for key, word in forms.items():
            gap = gaps.setdefault(key, WordGap(word))
            gap.count += times
            written[key][word] += times
            if len(gap.examples) < WORD_EXAMPLES:
                gap.examples.append(text)
    for key, gap in gaps.items():
        gap.word = written[key].most_common(1)[0][0]
    return sorted(gaps.values(), key=lambda gap: (-gap.count, fold(gap.word)))
