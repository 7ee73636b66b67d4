"""Rank knowledge entries for a question: IDF-weighted term overlap, both ways.

Recall is how much of the question an entry explains (over all its phrasings); precision is
how much of its best-fitting phrasing the question covers. A question's unknown words weigh
like rare ones, so "Bis wann muss ich die Hundesteuer bezahlen?" is not explained by the
deadline entry and falls back.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from bot.engine.normalize import Normalizer, Term
from bot.engine.thresholds import DEFAULT, Thresholds
from bot.knowledge import Entry, KnowledgeBase

RANKINGS_KEPT = 4096
CANDIDATES_KEPT = 10
_NOTHING: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float
    covered: frozenset[str] = frozenset()
    """The question's terms this entry knows."""


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]
    weights: dict[str, float]
    """Each question term's weight: what a term is worth when one entry explains it."""
    unknown_share: float = 0.0
    """Share of the question's weight in words the knowledge base has never seen."""
    domain_words: int = 0
    """How many content words of the question the knowledge base knows."""

    def coverage(self, candidate: Candidate) -> float:
        """How much of the question this candidate explains (0–1)."""
        total = sum(self.weights.values())
        return sum(self.weights[t] for t in candidate.covered) / total if total else 0.0


@dataclass
class _Overlap:
    """What one question's terms share with the knowledge base, by entry and by phrasing."""

    explained: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    """Per entry: the question's weight it explains (over all its phrasings)."""
    known: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    """Per entry: the question's terms it knows."""
    covered: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    """Per phrasing: its own weight the question covers."""


def _phrasing_texts(kb: KnowledgeBase) -> list[str]:
    """Every phrasing and keyword of the knowledge base: the normalizer's vocabulary."""
    return [q.text for e in kb.entries for q in e.questions] + [k for e in kb.entries for k in e.keywords]


def _inverse_document_frequency(bags: list[frozenset[str]]) -> dict[str, float]:
    """Per term, how rare it is among the entries (each entry's terms as one bag)."""
    document_frequency: dict[str, int] = defaultdict(int)
    for bag in bags:
        for term in bag:
            document_frequency[term] += 1
    count = len(bags)
    return {term: math.log((count + 1) / (df + 0.5)) for term, df in document_frequency.items()}


class Matcher:
    """Built once per knowledge base; `rank` is the per-message hot path."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds = DEFAULT) -> None:
        self.kb = kb
        self.thresholds = thresholds
        self.normalizer = Normalizer(kb.synonyms, _phrasing_texts(kb))
        self._cached_rank = lru_cache(maxsize=RANKINGS_KEPT)(self._rank)
        per_entry = [self._term_sets(entry) for entry in kb.entries]
        bags = [frozenset().union(*term_sets) for term_sets in per_entry]
        self._idf = _inverse_document_frequency(bags)
        self._rarest = math.log((len(kb.entries) + 1) / 1.5)
        self._known_weight = {term: self.weight(Term(term)) for term in self._idf}
        # Stopwords weigh next to nothing but occur everywhere: they are left out of the postings
        # (so `rank` does not visit every phrasing) and added only where content words matched.
        self._bag_postings, self._stop_bags = self._index(enumerate(bags))
        phrasings = [(entry_index, terms) for entry_index, sets in enumerate(per_entry) for terms in sets if terms]
        self._phrasing_entry = [entry_index for entry_index, _ in phrasings]
        self._phrasing_weight = [sum(self._known_weight[t] for t in terms) for _, terms in phrasings]
        self._postings, self._stop_postings = self._index(enumerate(terms for _, terms in phrasings))

    def _term_set(self, text: str) -> frozenset[str]:
        return frozenset(term.text for term in self.normalizer.terms(text))

    def _term_sets(self, entry: Entry) -> list[frozenset[str]]:
        """The terms of each phrasing of the entry, then of each keyword."""
        return [self._term_set(q.text) for q in entry.questions] + [self._term_set(k) for k in entry.keywords]

    def _index(
        self, numbered: Iterable[tuple[int, frozenset[str]]]
    ) -> tuple[dict[str, list[int]], dict[str, set[int]]]:
        """Per term, the numbers of the term sets that hold it: content terms as lists (`rank`
        visits them), stopwords as sets (`rank` intersects them with what content terms found)."""
        content: dict[str, list[int]] = defaultdict(list)
        stop: dict[str, set[int]] = defaultdict(set)
        for number, terms in numbered:
            for term in terms:
                if self.normalizer.is_stopword(term):
                    stop[term].add(number)
                else:
                    content[term].append(number)
        return content, stop

    def weight(self, term: Term) -> float:
        """Rare terms count more; unknown ones count as rare; stopwords barely count."""
        limits = self.thresholds
        base = self._idf.get(term.text)
        if base is None:
            base = self._rarest * (limits.unknown_noun_weight if term.noun else limits.unknown_weight)
            if term.target:
                base *= limits.target_weight
        if term.place:
            base *= limits.place_weight
        return base * limits.stopword_weight if self.normalizer.is_stopword(term.text) else base

    def rank(self, question: str, *, english: bool = False) -> Ranking:
        """Entries by score (0–100), best first; none when no word of the question is known.

        Applicants ask the same short questions again and again ("Frist?"), so recent rankings
        are kept; a ranking depends only on the text, never on the time. In an English question
        (after the lexicon) a word the knowledge base does not know weighs like an unknown German
        noun: English has no capitals to tell nouns by, and the lexicon has taken its function
        words – what is left names something ("tax return", "bowling team").
        """
        return self._cached_rank(question, english)

    def forget_rankings(self) -> None:
        self._cached_rank.cache_clear()

    def unknown_terms(self, text: str) -> frozenset[str]:
        """The terms of `text` that no phrasing uses, after typo correction and synonyms: they weigh
        like rare words and make a question look like one about something else. Stopwords are none."""
        return frozenset(t.text for t in self.normalizer.terms(text) if not self._known_or_stopword(t.text))

    def _known_or_stopword(self, term: str) -> bool:
        return term in self._idf or self.normalizer.is_stopword(term)

    def _plain_in_english(self, term: str) -> bool:
        """Known, a German stopword the lexicon put for an English one ("do" → "denn"), or a
        left-over of two letters ("it", "'s"): nothing that names another subject."""
        return self._known_or_stopword(term) or len(term) <= 2

    def _rank(self, question: str, english: bool) -> Ranking:
        terms = self._dedupe(self.normalizer.terms(question))
        if english:
            terms = [t if self._plain_in_english(t.text) else t._replace(noun=True, target=True) for t in terms]
        weights = {term.text: self.weight(term) for term in terms}
        question_weight = sum(weights.values())
        if not question_weight:
            return Ranking([], weights, 1.0 if weights else 0.0, 0)
        overlap = self._content_overlap(terms, weights)
        self._add_stopwords(overlap, terms, weights)
        scored = self._scores(overlap, question_weight)
        candidates = [
            Candidate(self.kb.entries[i], round(100 * s, 1), frozenset(overlap.known[i]))
            for i, s in scored[:CANDIDATES_KEPT]
        ]
        unknown = sum(w for t, w in weights.items() if t not in self._idf)
        domain = sum(1 for t in weights if t in self._idf and not self.normalizer.is_stopword(t))
        return Ranking(candidates, weights, unknown / question_weight, domain)

    def _content_overlap(self, terms: list[Term], weights: dict[str, float]) -> _Overlap:
        """What the question's content terms explain of each entry, and cover of each phrasing."""
        overlap = _Overlap()
        for term in terms:
            evidence = weights[term.text] * term.confidence
            for entry_index in self._bag_postings.get(term.text, ()):
                overlap.explained[entry_index] += evidence
                overlap.known[entry_index].add(term.text)
            if term.text in self._known_weight:
                phrasing_evidence = self._known_weight[term.text] * term.confidence
                for index in self._postings.get(term.text, ()):
                    overlap.covered[index] += phrasing_evidence
        return overlap

    def _add_stopwords(self, overlap: _Overlap, terms: list[Term], weights: dict[str, float]) -> None:
        """Known stopwords count only for entries and phrasings a content term has found."""
        for term in terms:
            if not self.normalizer.is_stopword(term.text) or term.text not in self._known_weight:
                continue
            evidence = weights[term.text] * term.confidence
            for entry_index in overlap.explained.keys() & self._stop_bags.get(term.text, _NOTHING):
                overlap.explained[entry_index] += evidence
                overlap.known[entry_index].add(term.text)
            phrasing_evidence = self._known_weight[term.text] * term.confidence
            for index in overlap.covered.keys() & self._stop_postings.get(term.text, _NOTHING):
                overlap.covered[index] += phrasing_evidence

    def _best_fit(self, covered: dict[int, float]) -> dict[int, float]:
        """Per entry, the share of its best-covered phrasing that the question covers (precision)."""
        precision: dict[int, float] = {}
        for index, overlap in covered.items():
            entry_index, fit = self._phrasing_entry[index], overlap / self._phrasing_weight[index]
            if fit > precision.get(entry_index, 0.0):
                precision[entry_index] = fit
        return precision

    def _scores(self, overlap: _Overlap, question_weight: float) -> list[tuple[int, float]]:
        """(entry index, F-beta of recall and precision), best first; entries with either at 0 left out."""
        precision = self._best_fit(overlap.covered)
        beta2 = self.thresholds.beta**2
        scored = []
        for entry_index, explained in overlap.explained.items():
            recall, fit = explained / question_weight, min(precision.get(entry_index, 0.0), 1.0)
            if recall and fit:
                scored.append((entry_index, (1 + beta2) * fit * recall / (beta2 * fit + recall)))
        scored.sort(key=lambda item: -item[1])
        return scored

    @staticmethod
    def _dedupe(terms: list[Term]) -> list[Term]:
        unique: dict[str, Term] = {}
        for term in terms:
            if term.text not in unique or term.confidence > unique[term.text].confidence:
                unique[term.text] = term
        return list(unique.values())
