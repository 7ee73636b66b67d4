"""The engine's one entry point: a message, a clock and the chat's previous reply in, a reply out.

A message is read in parts (greeting, context, question(s)); each question is scored by word
overlap and by meaning, with and without the writer's context; a fitted model weighs the
signals; at most two questions are answered in one reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np

from bot.engine import segment
from bot.engine.decision import FEATURES, length_feature
from bot.engine.matcher import Candidate, Matcher, Ranking
from bot.engine.render import contacts_text, render
from bot.engine.rewrite import Rewriter, is_english
from bot.engine.semantic import Embedder, PhraseVectors, UniversalSentenceEncoder
from bot.engine.thresholds import DEFAULT, Thresholds
from bot.knowledge import Entry, KnowledgeBase

MAX_QUESTION_CHARS = 1000
"""Longer messages are cut before matching: nobody asks more than this in one question."""
MAX_PARTS = 3
"""Question parts read per message; the best two are answered."""
SEMANTIC_KEPT = 5
"""Entries taken from the meaning ranking of each query, beside the word-overlap ones."""

ENGLISH_NOTE = "I answer in German only – here is what the knowledge base says:"
ENGLISH_FALLBACK = (
    "Sorry, I can only answer questions about {call} in German, and I have no reliable answer to this one. "
    "The official documents are at {documents}."
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) except tab and newline."""
_FOLLOW_UP = re.compile(
    r"^\s*(und|auch|aber|und was|was ist mit|wie ist es mit|wie sieht es mit|and|what about)\b", re.I
)
_FOLLOW_UP_WORDS = 6


def clean_question(text: str) -> str:
    """What the engine and the log may safely hold: no lone surrogates, no control characters."""
    text = text[:MAX_QUESTION_CHARS].encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", text).strip()


class Outcome(StrEnum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class Reply:
    question: str
    outcome: Outcome
    entry: Entry | None
    score: float
    candidates: tuple[Candidate, ...]
    body: str
    """The answer, the "Meinten Sie …?" prompt or the fallback, rendered for `now`."""
    options: tuple[Entry, ...] = ()
    """Entries offered in "Meinten Sie …?"."""
    also: tuple[Reply, ...] = ()
    """The answer to a second question in the same message, with its own source."""
    note: str | None = None
    """A line before everything else (the English hint)."""
    confidence: float = 1.0
    """The decision model's probability that `entry` answers the message."""
    cited: str | None = None
    """The source of the answer variant given (a later variant may cite a later page)."""

    @property
    def source(self) -> str | None:
        return self.cited if self.entry and self.outcome is Outcome.ANSWER else None

    @property
    def answered(self) -> tuple[Reply, ...]:
        """Every answer in this reply, the primary first."""
        return ((self,) if self.outcome is Outcome.ANSWER else ()) + self.also

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(reply.entry for reply in self.answered if reply.entry)

    @property
    def sections(self) -> tuple[tuple[str, str | None], ...]:
        """(text, source) per part: each answer keeps its own source."""
        head = (self.body, self.source)
        return (head, *((reply.body, reply.source) for reply in self.also))

    @property
    def text(self) -> str:
        """The reply as plain text, exactly as a user reads it."""
        parts = [self.note] if self.note else []
        for body, source in self.sections[:1]:
            parts.append(body)
            if self.options:
                parts.append("\n".join(f"• {option.canonical}" for option in self.options))
            if source:
                parts.append(f"Quelle: {source}")
        for body, source in self.sections[1:]:
            parts.append(body)
            if source:
                parts.append(f"Quelle: {source}")
        return "\n\n".join(parts)


@dataclass(frozen=True)
class Finding:
    """One question part, its candidates scored by the decision model, best first."""

    question: str
    ranking: Ranking
    entries: tuple[Entry, ...]
    probabilities: tuple[float, ...]
    follow_up: bool = False
    features: np.ndarray = field(default_factory=lambda: np.zeros((0, len(FEATURES))), repr=False, compare=False)

    @property
    def best(self) -> float:
        return self.probabilities[0] if self.probabilities else 0.0

    @property
    def runner_up(self) -> float:
        """The best probability of another topic: a sibling of the same topic is no real rival
        (its answer is one tap away under "Siehe auch")."""
        topic = self.entries[0].topic if self.entries else None
        return max((p for e, p in zip(self.entries, self.probabilities, strict=True) if e.topic != topic), default=0.0)


class Engine:
    """Understanding plus rendering over one knowledge base; never touches Telegram or storage."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds = DEFAULT, embedder: Embedder | None = None) -> None:
        self.kb = kb
        self.thresholds = thresholds
        self.matcher = Matcher(kb, thresholds)
        self.rewriter = Rewriter(kb.lexicon)
        texts, owners = [], []
        for index, entry in enumerate(kb.entries):
            for question in entry.questions:
                texts.append(question.text)
                owners.append(index)
        self._owners = np.array(owners, dtype=np.int64)
        self._first_phrasing = np.searchsorted(self._owners, np.arange(len(kb.entries)))
        self._entry_index = {entry.id: index for index, entry in enumerate(kb.entries)}
        self.vectors = PhraseVectors(embedder or UniversalSentenceEncoder(), texts)

    # -- understanding -------------------------------------------------------------------------

    def reply(self, question: str, now: datetime, previous: Reply | None = None) -> Reply:
        """The reply to a message; `previous` is the chat's last reply (for "Und Vereine?")."""
        question = clean_question(question)
        findings, english = self.understand(question, previous)
        return self.decide(question, findings, english, now)

    def understand(self, message: str, previous: Reply | None = None) -> tuple[list[Finding], bool]:
        """The message's question parts, each with its candidates scored; and whether it is English."""
        english = is_english(message)
        text = self.rewriter.rewrite(message, english=english)
        parts = [] if english else segment.split(text)
        questions = [p.text for p in parts if p.kind is segment.Kind.QUESTION][:MAX_PARTS] or [text]
        context = " ".join(p.text for p in parts if p.kind is segment.Kind.CONTEXT)
        words = len(message.split())
        meaning = message if english else None
        findings = [self._score(q, context, words, english, meaning) for q in questions]
        earlier = previous.entry if previous and previous.entry else None
        if earlier and len(questions) == 1 and (_FOLLOW_UP.match(text) or words <= _FOLLOW_UP_WORDS):
            findings.append(self._score(questions[0], earlier.canonical, words, english, None, follow_up=True))
        return findings, english

    def _score(
        self, question: str, context: str, words: int, english: bool, meaning: str | None, *, follow_up: bool = False
    ) -> Finding:
        queries = [question, f"{context} {question}"] if context else [question]
        rankings = [self.matcher.rank(q) for q in queries]
        if not rankings[-1].weights:
            return Finding(question, rankings[0], (), (), follow_up)  # not a single word to go on
        similarities = [self._entry_similarities(meaning or q) for q in queries]
        count = len(self.kb.entries)
        lexical = np.zeros((len(queries), count))
        for row, ranking in enumerate(rankings):
            for candidate in ranking.candidates:
                lexical[row, self._entry_index[candidate.entry.id]] = candidate.score / 100
        semantic = np.vstack(similarities)
        chosen = {self._entry_index[c.entry.id] for ranking in rankings for c in ranking.candidates}
        for sims in similarities:
            chosen.update(int(i) for i in np.argsort(-sims)[:SEMANTIC_KEPT])
        if not chosen:
            return Finding(question, rankings[0], (), (), follow_up)
        indices = np.array(sorted(chosen))
        best_lexical, best_semantic = lexical[-1], semantic[-1]
        lexical_order, semantic_order = np.argsort(-best_lexical), np.argsort(-best_semantic)
        alone = rankings[0]
        coverage = {c.entry.id: alone.coverage(c) for c in alone.candidates}
        rows = []
        for index in indices:
            other_lexical = best_lexical[lexical_order[1] if lexical_order[0] == index else lexical_order[0]]
            other_semantic = best_semantic[semantic_order[1] if semantic_order[0] == index else semantic_order[0]]
            rows.append(
                (
                    best_lexical[index],
                    lexical[0, index],
                    best_semantic[index],
                    semantic[0, index],
                    float(lexical_order[0] == index and best_lexical[index] > 0),
                    float(semantic_order[0] == index),
                    best_lexical[index] - other_lexical,
                    best_semantic[index] - other_semantic,
                    coverage.get(self.kb.entries[index].id, 0.0),
                    rankings[-1].unknown_share,
                    min(alone.domain_words, 4) / 4,
                    length_feature(words),
                    float(english),
                    float(follow_up),
                    float(lexical_order[0] == index and semantic_order[0] == index),
                    best_lexical[index] * best_semantic[index],
                    float(lexical_order[0] == index and self._lexically_sure(best_lexical[index], other_lexical)),
                    float(best_lexical[lexical_order[0]] >= self.thresholds.lexical_floor),
                )
            )
        features = np.array(rows)
        probabilities = self.thresholds.weights.probability(features)
        order = np.argsort(-probabilities)
        return Finding(
            question,
            alone,
            tuple(self.kb.entries[int(indices[i])] for i in order),
            tuple(float(probabilities[i]) for i in order),
            follow_up,
            features[order],
        )

    def _lexically_sure(self, score: float, other: float) -> bool:
        """The earlier hand-calibrated rule on word overlap alone, now one signal among others."""
        limits = self.thresholds
        return (
            score >= limits.lexical_sure
            or (score >= limits.lexical_answer and score - other >= limits.lexical_margin)
            or score - other >= limits.lexical_lead
        )

    def _entry_similarities(self, text: str) -> np.ndarray:
        """Per entry, the best cosine similarity of `text` to one of its phrasings."""
        return np.maximum.reduceat(self.vectors.similarities(text), self._first_phrasing)

    # -- deciding ------------------------------------------------------------------------------

    def decide(self, question: str, findings: list[Finding], english: bool, now: datetime) -> Reply:
        limits = self.thresholds
        candidates = tuple(findings[0].ranking.candidates) if findings else ()
        primary = max(findings, key=lambda f: (f.best, not f.follow_up), default=None)
        note = ENGLISH_NOTE if english else None
        if primary is None or primary.best < limits.clarify:
            return Reply(
                question,
                Outcome.FALLBACK,
                None,
                self._score_of(primary),
                candidates,
                self.fallback_text(english),
                confidence=primary.best if primary else 0.0,
            )
        best = primary.entries[0]
        confident = primary.best >= limits.answer and (
            primary.best - primary.runner_up >= limits.margin or primary.best >= limits.sure
        )
        if confident:
            also = self._second_answer(primary, findings, now)
            reply = self.answer(best, now, question=question, score=self._score_of(primary), candidates=candidates)
            return Reply(
                reply.question,
                reply.outcome,
                reply.entry,
                reply.score,
                candidates,
                reply.body,
                also=also,
                note=note,
                confidence=primary.best,
            )
        if not primary.features[0][FEATURES.index("lexical_floor")]:
            # No entry shares enough words with the message: a guess by meaning alone is no question
            # worth asking back ("Unterlagen für einen Reisepass?" is not about this call).
            return Reply(
                question,
                Outcome.FALLBACK,
                None,
                self._score_of(primary),
                candidates,
                self.fallback_text(english),
                confidence=primary.best,
            )
        floor = max(limits.clarify, primary.best - limits.clarify_window)
        options = tuple(e for e, p in zip(primary.entries, primary.probabilities, strict=True) if p >= floor)[
            : limits.max_options
        ]
        return Reply(
            question,
            Outcome.CLARIFY,
            None,
            self._score_of(primary),
            candidates,
            "Meinten Sie …?",
            options,
            note=note,
            confidence=primary.best,
        )

    def _second_answer(self, primary: Finding, findings: list[Finding], now: datetime) -> tuple[Reply, ...]:
        """The best answer to another question part, if it is sure enough and says something new."""
        first = primary.entries[0]
        seconds = [
            (p, e)
            for finding in findings
            if finding is not primary and not finding.follow_up
            for e, p in zip(finding.entries[:1], finding.probabilities[:1], strict=True)
            if e.topic != first.topic and p >= self.thresholds.second
        ]
        if not seconds:
            return ()
        _, entry = max(seconds, key=lambda item: item[0])
        return (self.answer(entry, now),)

    @staticmethod
    def _score_of(finding: Finding | None) -> float:
        """The best word-overlap score (0–100), kept in replies and logs as before."""
        if finding is None or not finding.ranking.candidates:
            return 0.0
        return finding.ranking.candidates[0].score

    def answer(
        self,
        entry: Entry,
        now: datetime,
        *,
        question: str | None = None,
        score: float = 100.0,
        candidates: tuple[Candidate, ...] = (),
    ) -> Reply:
        """The entry's answer variant that holds at `now`, rendered for `now`."""
        body = render(entry.answer_at(now), self.kb.call, now)
        cited = entry.source_at(now)
        return Reply(question or entry.canonical, Outcome.ANSWER, entry, score, candidates, body, cited=cited)

    def fallback_text(self, english: bool = False) -> str:
        call = self.kb.call
        if english:
            return ENGLISH_FALLBACK.format(call=call.name, documents=call.documents_url)
        return (
            "Dazu habe ich leider keine verlässliche Antwort. "
            f"Verbindlich sind die offiziellen Unterlagen unter {call.documents_url}. "
            f"Beteiligte Stellen: {contacts_text(call)}."
        )
