"""The engine's one entry point: a message, a clock and the chat's previous reply in, a reply out.

A message is read in parts (greeting, context, question(s)); each question is scored by word
overlap and by meaning, with and without the writer's context; a fitted model weighs the
signals; at most two questions are answered in one reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from bot.domain import TOPICS_OF_ORIGIN, TOPICS_OF_TAKING_PART, Outcome, Topic
from bot.engine import segment, wording
from bot.engine.callname import CallName
from bot.engine.decision import CANDIDATE_FEATURES, DECISION_FEATURES, Signals, length_feature, rank
from bot.engine.encoder import UniversalSentenceEncoder
from bot.engine.matcher import Candidate, Matcher, Ranking
from bot.engine.normalize import INTERROGATIVES
from bot.engine.normalize import words as words_of
from bot.engine.offtopic import OffTopic
from bot.engine.places import PlaceNames, with_places
from bot.engine.programmes import ProgrammeNames
from bot.engine.render import closed_sentence, contacts_text, deadline_sentence, places_sentence, render
from bot.engine.rewrite import Rewriter, is_english
from bot.engine.semantic import Embedder, PhraseVectors
from bot.engine.thresholds import DEFAULT, Thresholds
from bot.knowledge import Entry, KnowledgeBase
from bot.personal import without_personal

MAX_QUESTION_CHARS = 1000
"""Read of a longer message: its start and its end, since a long letter often asks its question last
(cut after 1,000 characters, "… Bis wann müssen wir die Projektskizze einreichen?" was lost; read
whole up to Telegram's 4,096, one long word took seconds and held up every chat)."""
KEPT_START = 250
"""Of a longer message, this much of its start (greeting, who writes); the rest of the limit is its end."""
MAX_PARTS = 3
"""Questions read per message (each perhaps with an alternative: "…, oder …"); the best two are answered."""
ABOUT_THE_CALL = 2
"""A question naming the call in a compound ("Smart-Region-Aufruf") and at most this many other known
words (question words included: "Wer steckt hinter …", "Was ist …") is about the call itself."""
VAGUE_DOMAIN_WORDS = 1
"""A question part with at most this many known content words is read together with its context."""
FINDINGS_KEPT = 4096
"""Recent question parts kept with their measured signals (they depend only on the text)."""
SEMANTIC_KEPT = 5
"""Entries taken from the meaning ranking of each query, beside the word-overlap ones."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) except tab and newline."""
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_FOLLOW_UP = re.compile(
    r"^\s*(und|auch|aber|und was|was ist mit|wie ist es mit|wie sieht es mit|and|what about)\b", re.I
)
_ALSO = re.compile(
    r"^\s*(?:geht|gilt|zählt|passt|klappt|gibt)(?:'s|s)?\s+(?:das\s+|dat\s+|es\s+|et\s+|die\s+|der\s+)?auch\s+(?:was\s+|sowas\s+)?",
    re.I,
)
"""A verb and "auch" ask the previous question about something else: "Gilt das auch für …?"."""
_LEADING_PREPOSITION = re.compile(r"^\s*(?:mit|für|fuer|bei|in|im|auf|über|von|zu|zur|zum|for|with)\s+", re.I)
"""Before the thing named: only the thing is compared with the previous entry (measured: "mit
Landwirtschaft" 0.19, below `follow_on`, after "Welche Themen sind vorgesehen?")."""
_FOLLOW_UP_WORDS = 6
_LEXICAL = CANDIDATE_FEATURES.index("lexical")
_LEXICAL_ALONE = CANDIDATE_FEATURES.index("lexical_alone")
FOLLOW_UP_MAX_UNKNOWN = 0.5
"""A short message whose weight lies this much in unknown words starts a new subject."""


def _named(text: str) -> str:
    """What an elliptical follow-up names ("Apps" in "Auch Apps?", "Schulen" in "Und für Schulen?",
    "Genossenschaften" in "Gilt das auch für Genossenschaften?"): a follow-up word and a thing, no
    question word of its own; "" for anything else."""
    match = _FOLLOW_UP.match(text) or _ALSO.match(text)
    if not match:
        return ""
    rest = text[match.end() :]
    if any(word in INTERROGATIVES for word in words_of(rest)):
        return ""
    return _LEADING_PREPOSITION.sub("", rest).strip(" ?!.")


_POINTERS = frozenset(
    [
        "dafür",
        "dafuer",
        "dazu",
        "davon",
        "damit",
        "dabei",
        "darauf",
        "darin",
        "darüber",
        "darueber",
        "dagegen",
        "danach",
    ]
)
"""Words that point back to something said before ("dafür" = for that)."""
_POINTING_ENDS = frozenset(["das", "dies", "dieses"])
_THERE = frozenset(["da", "dort"])
"""At the end of a later question part they point back ("… und wie viel bekommt man da?"); alone in a
message they may not ("Wann ist das Geld da?")."""


def _points_back(question: str, ends: frozenset[str] = _POINTING_ENDS) -> bool:
    """The question is about something named before it: "… dafür Zeit?", "Was kostet das?"."""
    said = words_of(question)
    return bool(said) and (bool(_POINTERS.intersection(said)) or said[-1] in ends)


def _inside_word(text: str, cut: int) -> bool:
    return not (text[cut - 1].isspace() or text[cut].isspace())


def _best_score(ranking: Ranking) -> float:
    return ranking.candidates[0].score if ranking.candidates else 0.0


def clean_question(text: str) -> str:
    """What the engine and the log may safely hold: no lone surrogates, no control characters, at
    most MAX_QUESTION_CHARS (start and end of a longer message, cut between words)."""
    text = _CONTROL.sub(" ", text.encode("utf-8", "replace").decode("utf-8"))
    text = _LINE_BREAKS.sub("\n", _SPACES.sub(" ", text)).strip()  # 1,200 blanks are no content
    if len(text) > MAX_QUESTION_CHARS:
        cut = len(text) - (MAX_QUESTION_CHARS - KEPT_START) + len(" … ")
        start, end = text[:KEPT_START], text[cut:]
        if _inside_word(text, KEPT_START):  # a word cut in two is left out
            start = start.rsplit(None, 1)[0]
        if _inside_word(text, cut):
            end = end.split(None, 1)[-1]
        text = f"{start.rstrip()} … {end.lstrip()}"
    return text


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
    """One question part: its candidate entries ranked, and how sure the bot is of the best."""

    question: str
    ranking: Ranking
    """The word-overlap ranking of the part alone (its candidates go into logs and JSON)."""
    entries: tuple[Entry, ...] = ()
    """Candidates, best first."""
    scores: tuple[float, ...] = ()
    """Their ranking scores (0–1), best first."""
    confidence: float = 0.0
    """The decision model's probability that answering with the best entry is right."""
    signals: Signals | None = field(default=None, repr=False, compare=False)
    candidate_entries: tuple[Entry, ...] = field(default=(), repr=False, compare=False)
    """The candidates in the order of `signals` (for refitting)."""
    elsewhere: str | None = None
    """The note for a part about something else: another funding programme ("beim KfW-Programm",
    wording.OTHER_PROGRAMME) or a subject the knowledge base lists as not its own (OTHER_SUBJECT)."""
    continues: bool = False
    """An elliptical follow-up ("Auch Apps?", "Und Lünen?") read with the previous question whose
    best entry keeps that question's topic: it asks the same thing about something else."""
    asks: int = 0
    """Which question of the message this part belongs to (from 1; 0 where the message was not
    taken apart, e.g. about another subject): the halves of "Passt das in den Aufruf, oder geht es
    nur um Wirtschaft?" ask one question, answered once."""

    @property
    def follow_up(self) -> bool:
        return bool(self.signals and self.signals.follow_up)

    def shares_words(self, floor: float) -> bool:
        """Some entry shares enough words with the message to be worth asking back about."""
        return bool(self.signals is not None and self.signals.candidates[:, _LEXICAL].max() >= floor)

    @classmethod
    def unmeasured(cls, question: str, *, elsewhere: str | None = None) -> Finding:
        """A question part the engine does not answer: no candidates, no confidence."""
        return cls(question, Ranking([], {}), elsewhere=elsewhere)

    def set_aside(self) -> Finding:
        """The same question part, not to be answered (it keeps which question it asks)."""
        return replace(Finding.unmeasured(self.question), asks=self.asks)

    def weighed(self, thresholds: Thresholds) -> Finding:
        """The same signals ranked and judged by (other) fitted weights."""
        if self.signals is None:
            return self
        ranked = rank(self.signals, thresholds.ranking, thresholds.lexical_floor)
        confidence = thresholds.decision.probability(ranked.decision[None, :], DECISION_FEATURES)[0]
        order, scores = self._settled(list(ranked.order), list(ranked.scores), thresholds.clarify_window)
        return replace(
            self,
            entries=tuple(self.candidate_entries[i] for i in order),
            scores=tuple(float(x) for x in scores),
            confidence=float(confidence),
        )

    def _settled(self, order: list[int], scores: list[float], window: float) -> tuple[list[int], list[float]]:
        """The question decides the topic, the writer's introduction which entry of it: in "Wir sind
        ein Verein. Dürfen wir mitmachen?" the entry on associations, not the one on companies that
        "Dürfen wir mitmachen?" alone leans to. Among the best entry and those of its topic close
        behind, the one sharing most words with the whole message comes first."""
        words = self.signals.candidates[:, _LEXICAL]
        if np.array_equal(words, self.signals.candidates[:, _LEXICAL_ALONE]):
            return order, scores  # no introduction
        topic = self.signals.topics[order[0]]
        close = [
            k
            for k, (i, s) in enumerate(zip(order, scores, strict=True))
            if s >= scores[0] - window and self.signals.topics[i] == topic
        ]
        first = max(close, key=lambda k: words[order[k]])
        return [order[first], *order[:first], *order[first + 1 :]], [
            scores[first],
            *scores[:first],
            *scores[first + 1 :],
        ]


class _Read(NamedTuple):
    english: bool
    said: str
    """The message without the writer's name and contact details."""
    text: str
    """The message as rewritten by the lexicon."""
    questions: tuple[str, ...]
    words: int
    findings: tuple[Finding, ...]


class Engine:
    """Understanding plus rendering over one knowledge base; never touches Telegram or storage."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds = DEFAULT, embedder: Embedder | None = None) -> None:
        kb = with_places(kb)
        self.kb = kb
        self.thresholds = thresholds
        self.matcher = Matcher(kb, thresholds)
        self.rewriter = Rewriter(kb.lexicon)
        texts, owners = [], []
        for index, entry in enumerate(kb.entries):
            for question in entry.questions:
                texts.append(question.text)
                owners.append(index)
        self._first_phrasing = np.searchsorted(np.array(owners, dtype=np.int64), np.arange(len(kb.entries)))
        self._phrasing_end = np.append(self._first_phrasing[1:], len(texts))
        self._entry_index = {entry.id: index for index, entry in enumerate(kb.entries)}
        self.vectors = PhraseVectors(embedder or UniversalSentenceEncoder(), texts, groups=owners)
        self.programmes = ProgrammeNames((kb.call.name, kb.call.short_name), kb.synonyms, self.matcher.normalizer.knows)
        self.call_name = CallName((kb.call.name, kb.call.short_name), kb.synonyms)
        self.off_topic = OffTopic(kb.off_topic)
        self.places = PlaceNames(kb.call.places)
        self._finding = lru_cache(maxsize=FINDINGS_KEPT)(self._measure)
        self._read = lru_cache(maxsize=FINDINGS_KEPT)(self._read_message)

    # -- understanding -------------------------------------------------------------------------

    def reply(self, question: str, now: datetime, previous: Reply | None = None) -> Reply:
        """The reply to a message; `previous` is the chat's last answer (for "Und Vereine?")."""
        question = clean_question(question)
        if not any(character.isalnum() for character in question):  # "🙏🙏🙏", "?", "…"
            text = wording.NOTHING_ASKED.format(call=self.kb.call.name, documents=self.kb.call.documents_url)
            return Reply(question, Outcome.FALLBACK, None, 0.0, (), text, confidence=0.0)
        findings, english = self.understand(question, previous)
        return self.decide(question, findings, english, now)

    def understand(self, message: str, previous: Reply | None = None) -> tuple[list[Finding], bool]:
        """The message's question parts, each with its candidates ranked and judged; and whether
        the message is English."""
        read = self._read(message)
        findings = list(read.findings)
        earlier = previous.entry if previous and previous.entry else None
        named = _named(read.text)
        if (
            earlier
            and not any(f.elsewhere for f in findings)
            and len({f.asks for f in findings}) == 1  # one question, perhaps asked two ways
            and (_FOLLOW_UP.match(read.text) or read.words <= _FOLLOW_UP_WORDS)
            # mostly words the knowledge base never heard ("Und wie ist das Wetter?"): a new subject,
            # unless it only names something ("Auch Apps?"): that needs the previous question
            and (named or self._unknown_share(read) < FOLLOW_UP_MAX_UNKNOWN)
            and not self._sure_on_its_own(read, findings)
        ):
            reading = self._finding(read.questions[0], earlier.canonical, read.words, read.english, None, True)
            reading = replace(reading, asks=findings[0].asks)  # the same question, read with the previous one
            if earlier.topic in TOPICS_OF_ORIGIN - {Topic.REGION} and named and self.places.only(named):
                # "Und Lünen?" after who may apply asks the same for a listed place: the answer stays,
                # and the places notice says where Lünen lies. Not after an answer about the region
                # itself: "Und Haltern?" after "Ist Münster dabei?" needs the other answer.
                reading = Finding(reading.question, reading.ranking, (earlier,), (1.0,), 1.0, continues=True)
            elif (
                reading.entries
                and reading.entries[0].topic == earlier.topic
                and named
                and self._resembles(named, earlier)
            ):
                reading = replace(reading, continues=True)
            findings.append(reading)
        return findings, read.english

    def _sure_on_its_own(self, read: _Read, findings: list[Finding]) -> bool:
        """A whole question the bot is sure of by itself, neither elliptical nor pointing back:
        "Wo reiche ich die Skizze ein?" after the Förderquote asks about submitting, not about the
        Förderquote again (read with the previous question, it was surer of that)."""
        return (
            findings[0].confidence >= self.thresholds.answer
            and not _FOLLOW_UP.match(read.text)
            and not _points_back(read.questions[0])
        )

    def _unknown_share(self, read: _Read) -> float:
        return self.matcher.rank(read.questions[0], english=read.english).unknown_share

    def _resembles(self, named: str, earlier: Entry) -> bool:
        """What an elliptical follow-up names is close in meaning to one of the previous entry's
        phrasings: "Apps" after "Was wird gefördert?", not "Pizza"."""
        index = self._entry_index[earlier.id]
        first, end = self._first_phrasing[index], self._phrasing_end[index]
        return float(self.vectors.similarities(named)[first:end].max()) >= self.thresholds.follow_on

    def _read_message(self, message: str) -> _Read:
        """Everything understood from the message alone (kept in `_read`: people repeat questions)."""
        message = without_personal(message)
        english = is_english(message)
        text = self.rewriter.rewrite(message, english=english)
        parts = segment.english_questions(text) if english else segment.split(text)
        questions, asks = self._questions(parts)
        questions, asks = questions or [text], asks or [1]
        context = " ".join(p.text for p in parts if p.kind is segment.Kind.CONTEXT)
        words = len(message.split())
        meaning = message if english else None
        if self.off_topic.mentioned(message):  # "… auf eine ausgeschriebene Stelle bewerben …"
            findings = [Finding.unmeasured(q, elsewhere=wording.OTHER_SUBJECT) for q in questions]
            return _Read(english, message, text, tuple(questions), words, tuple(findings))
        # Only the first question leans on the context when it is vague: in "Wir sind ein Verein.
        # Dürfen wir mitmachen, und bis wann?" the "bis wann?" asks about the deadline, not the Verein.
        readings = [
            self._read_with(questions[0], context),
            *((q, self._own_context(q, context)) for q in questions[1:]),
        ]
        findings = [
            replace(
                Finding.unmeasured(q, elsewhere=wording.OTHER_PROGRAMME)
                if self.programmes.other_programme(q)
                else self._finding(q, c, words, english, meaning),
                asks=number,
            )
            for (q, c), number in zip(readings, asks, strict=True)
        ]
        # "Passt das in den Aufruf, oder geht es nur um Wirtschaft?": the first way of asking decides
        # when the bot is sure of it (answered alone, the alternative got business development).
        first_way = {f.asks: f for f in reversed(findings)}
        sure = self.thresholds.answer
        findings = [
            f.set_aside() if f is not first_way[f.asks] and first_way[f.asks].confidence >= sure else f
            for f in findings
        ]
        if findings[0].confidence < self.thresholds.answer:
            # "Wie beantrage ich Elterngeld, und wie lange habe ich dafür Zeit?": a question that only
            # points back to one the bot cannot place asks about that, not about the call.
            ends, first = _POINTING_ENDS | _THERE, findings[0].asks
            findings[1:] = [
                f.set_aside() if f.asks != first and _points_back(f.question, ends) else f for f in findings[1:]
            ]
        return _Read(english, message, text, tuple(questions), words, tuple(findings))

    @staticmethod
    def _questions(parts: list[segment.Part]) -> tuple[list[str], list[int]]:
        """The texts to read, and the number of the question each asks: an alternative is read with
        the question it asks another way ("X oder Y") and shares its number. At most MAX_PARTS
        questions, each with at most one alternative."""
        questions: list[str] = []
        asks: list[int] = []
        single = False  # the question just read has no alternative yet
        for part in (p for p in parts if p.kind is segment.Kind.QUESTION):
            if part.alternative and single:
                questions.append(f"{questions[-1]} oder {part.text}")
                asks.append(asks[-1])
                single = False
            elif not part.alternative:
                number = (asks[-1] if asks else 0) + 1
                single = number <= MAX_PARTS
                if single:
                    questions.append(part.text)
                    asks.append(number)
        return questions, asks

    def forget_recent(self, *, embeddings: bool = True) -> None:
        """Drop what was kept of recent messages (for measurements: every message as if new)."""
        self._finding.cache_clear()
        self._read.cache_clear()
        self.matcher.forget_rankings()
        if embeddings:
            self.vectors.forget_recent()

    def _read_with(self, question: str, context: str) -> tuple[str, str]:
        """A question part that names nothing the knowledge base knows ("Ist das ein Problem?",
        "Wissen Sie das?") means what the context says: read the two as one question."""
        if context and self._is_vague(question):
            return f"{context} {question}", ""
        return question, context

    def _own_context(self, question: str, context: str) -> str:
        """A later question that names nothing of its own ("und bis wann?") is read alone."""
        return "" if self._is_vague(question) else context

    def _is_vague(self, question: str) -> bool:
        return self.matcher.rank(question).domain_words <= VAGUE_DOMAIN_WORDS

    def _measure(
        self, question: str, context: str, words: int, english: bool, meaning: str | None, follow_up: bool = False
    ) -> Finding:
        """Measure every signal for one question part (alone, and after the context).

        Pure in its arguments, so recent findings are kept (`_finding`): people repeat questions."""
        queries = [question, f"{context} {question}"] if context else [question]
        queries = [self._addressed(q) for q in queries]
        rankings = [self._word_ranking(q, english) for q in queries]
        if not rankings[-1].weights:
            return Finding(question, rankings[0])  # not a single word to go on
        count = len(self.kb.entries)
        lexical = np.zeros((len(queries), count))
        sure = np.zeros(count, dtype=bool)
        for row, ranking in enumerate(rankings):
            listed = ranking.candidates
            for position, candidate in enumerate(listed):
                index = self._entry_index[candidate.entry.id]
                lexical[row, index] = candidate.score / 100
                if row == len(rankings) - 1:
                    other = listed[1].score / 100 if position == 0 and len(listed) > 1 else listed[0].score / 100
                    sure[index] = position == 0 and self._lexically_sure(candidate.score / 100, other)
        semantic = np.vstack([self._entry_similarities(meaning or q) for q in queries])
        chosen = {self._entry_index[c.entry.id] for ranking in rankings for c in ranking.candidates}
        for sims in semantic:
            chosen.update(int(i) for i in np.argsort(-sims)[:SEMANTIC_KEPT])
        indices = np.array(sorted(chosen))
        alone = rankings[0]
        coverage = {c.entry.id: alone.coverage(c) for c in alone.candidates}
        entries = tuple(self.kb.entries[int(i)] for i in indices)
        signals = Signals(
            topics=tuple(entry.topic for entry in entries),
            candidates=np.column_stack(
                [
                    lexical[-1, indices],
                    lexical[0, indices],
                    semantic[-1, indices],
                    semantic[0, indices],
                    [coverage.get(entry.id, 0.0) for entry in entries],
                ]
            ),
            lexical_sure=sure[indices],
            unknown=rankings[-1].unknown_share,
            domain_words=min(alone.domain_words, 4) / 4,
            length=length_feature(words),
            english=english,
            follow_up=follow_up,
        )
        return Finding(question, alone, signals=signals, candidate_entries=entries).weighed(self.thresholds)

    def _word_ranking(self, text: str, english: bool) -> Ranking:
        """The word-overlap ranking of `text`, or of `text` with the call's name read as the plain word
        if some entry explains that reading better: in "Bis wann können wir unsere Skizze für Smart
        Region einreichen?" the name is only the address, but its rare words ("Smart", "Region")
        explain nothing of the deadline entry and pulled the question to the ones naming the call."""
        ranking = self.matcher.rank(text, english=english)
        plain = self.call_name.plain(text)
        if plain == text or self._only_the_name(plain):
            return ranking  # unchanged, or only the name ("Smart Region?"): that asks about the call
        other = self.matcher.rank(plain, english=english)
        return other if _best_score(other) > _best_score(ranking) else ranking

    def _addressed(self, text: str) -> str:
        """ "Bis wann … für den Smart-Region-Aufruf?" read as "… für den Aufruf?": there the name only
        says which call (callname.py). A question that names nothing else is about the call and keeps
        it: "Was ist der Smart-Region-Aufruf?", "Wer steckt hinter dem Umbau-21-Wettbewerb?"."""
        addressed = self.call_name.addressed(text)
        if addressed == text:
            return text
        besides = self.matcher.rank(self.call_name.addressed(text, keep_word=False)).domain_words
        return text if besides <= ABOUT_THE_CALL else addressed

    def _only_the_name(self, plain: str) -> bool:
        return words_of(plain) == words_of(self.call_name.plain_word)

    def _lexically_sure(self, score: float, other: float) -> bool:
        """The first engine's hand-calibrated rule on word overlap alone, now one signal among others."""
        limits = self.thresholds
        return (
            score >= limits.lexical_sure
            or (score >= limits.lexical_answer and score - other >= limits.lexical_margin)
            or score - other >= limits.lexical_lead
        )

    def _entry_similarities(self, text: str) -> np.ndarray:
        """Per entry, the best cosine similarity of `text` to one of its phrasings; a message naming
        the call is read both with the name and with the plain word for it (callname.py)."""
        readings = {text, self.call_name.plain(text)}
        best = np.max([self.vectors.similarities(reading) for reading in readings], axis=0)
        return np.maximum.reduceat(best, self._first_phrasing)

    # -- deciding ------------------------------------------------------------------------------

    def decide(self, question: str, findings: list[Finding], english: bool, now: datetime) -> Reply:
        limits = self.thresholds
        candidates = tuple(findings[0].ranking.candidates) if findings else ()
        # A reading with the previous question counts only when it is sure: it must not make a
        # new subject ("Wie wird das Wetter morgen?") look like a question worth asking back.
        # An elliptical follow-up that keeps the previous topic needs no more than a "Meinten Sie …?" would.
        readings = [
            f
            for f in findings
            if not f.follow_up or f.confidence >= limits.answer or (f.continues and f.confidence >= limits.clarify)
        ]
        primary = max(readings, key=lambda f: (f.confidence, not f.follow_up), default=None)
        note = wording.ENGLISH_NOTE if english else None
        score = primary.ranking.candidates[0].score if primary and primary.ranking.candidates else 0.0
        confidence = primary.confidence if primary else 0.0
        continued = primary is not None and primary.continues  # in `readings` only from `clarify` on
        if (
            primary is not None
            and primary.entries
            and (confidence >= limits.answer or continued or self._only_option(primary))
        ):
            second = self._second_question(primary, findings)
            # Answers come in the order the questions were asked.
            first, then = (
                (second, primary) if second and findings.index(second) < findings.index(primary) else (primary, second)
            )
            reply = self.answer(
                first.entries[0], now, question=question, score=score, candidates=candidates, closed_notice=False
            )
            also = (self.answer(then.entries[0], now, closed_notice=False),) if then else ()
            # once, before both answers
            notices = [self._closed_notice((reply, *also), now), self._places_notice(question, (reply, *also))]
            head = "\n\n".join(notice for notice in notices if notice)
            if head:
                reply = replace(reply, body=f"{head}\n\n{reply.body}")
            return replace(reply, also=also, note=note, confidence=confidence)
        options = self._close_candidates(primary)
        ambiguous = len({entry.topic for entry in options}) > 1  # close rivals of different topics: ask which
        if options and (confidence >= limits.clarify or ambiguous) and primary.shares_words(limits.lexical_floor):
            return Reply(
                question, Outcome.CLARIFY, None, score, candidates, wording.CLARIFY,
                options[: limits.max_options], note=note, confidence=confidence,
            )  # fmt: skip
        # Nothing fits, or only by meaning with no shared word ("Unterlagen für einen Reisepass?").
        fallback = self.fallback_text(english)
        elsewhere = next((f.elsewhere for f in findings if f.elsewhere), None)
        note = elsewhere.format(call=self.kb.call.name) if elsewhere and not english else None
        return Reply(question, Outcome.FALLBACK, None, score, candidates, fallback, note=note, confidence=confidence)

    def _close_candidates(self, finding: Finding | None) -> tuple[Entry, ...]:
        """The candidates within `clarify_window` of the best: what "Meinten Sie …?" offers."""
        if finding is None or not finding.entries:
            return ()
        floor = finding.scores[0] - self.thresholds.clarify_window
        return tuple(e for e, s in zip(finding.entries, finding.scores, strict=True) if s >= floor)

    def _only_option(self, finding: Finding) -> bool:
        """Worth asking back about, but nothing else comes close: "Meinten Sie …?" with a single
        option would only cost a tap."""
        limits = self.thresholds
        if finding.confidence < limits.clarify or not finding.shares_words(limits.lexical_floor):
            return False
        return len(finding.scores) < 2 or finding.scores[1] < finding.scores[0] - limits.clarify_window

    def _second_question(self, primary: Finding, findings: list[Finding]) -> Finding | None:
        """Another question part answered sure enough by another entry, if there is one."""
        entry = primary.entries[0]
        seconds = [
            f
            for f in findings
            if f is not primary and not f.follow_up and f.question != primary.question and f.entries
            and f.entries[0] != entry and f.asks != primary.asks
            and f.confidence >= self.thresholds.second
        ]  # fmt: skip
        return max(seconds, key=lambda f: f.confidence, default=None)

    def answer(
        self,
        entry: Entry,
        now: datetime,
        *,
        question: str | None = None,
        score: float = 100.0,
        candidates: tuple[Candidate, ...] = (),
        closed_notice: bool = True,
    ) -> Reply:
        """The entry's answer variant that holds at `now`, rendered for `now`; after the call closed,
        an answer about taking part that was written for all times says so first."""
        body = render(entry.answer_at(now), self.kb.call, now)
        cited = entry.source_at(now)
        reply = Reply(question or entry.canonical, Outcome.ANSWER, entry, score, candidates, body, cited=cited)
        closed = self._closed_notice((reply,), now) if closed_notice else None
        return replace(reply, body=f"{closed}\n\n{body}") if closed else reply

    def _closed_notice(self, replies: tuple[Reply, ...], now: datetime) -> str | None:
        """ "Der Aufruf ist geschlossen …" once the call has closed, if one of the answers speaks to
        applicants and was written for all times – unless one already says that a deadline passed."""
        call = self.kb.call
        sentence = closed_sentence(call, now)
        if sentence is None:
            return None
        passed = [deadline_sentence(deadline, now) for deadline in call.deadlines]
        if any(said in reply.body for reply in replies for said in passed):
            return None
        if any(r.entry.topic in TOPICS_OF_TAKING_PART and len(r.entry.variants) == 1 for r in replies):
            return wording.CALL_CLOSED.format(sentence=sentence)
        return None

    def _places_notice(self, message: str, replies: tuple[Reply, ...]) -> str | None:
        """Whether the places a message names lie in the region, if an answer depends on where
        someone is from ("Wir sitzen in Münster. Dürfen wir uns bewerben?")."""
        if not any(r.entry.topic in TOPICS_OF_ORIGIN for r in replies):
            return None
        named = self.places.named(self._read(message).said)  # "LG Hagen" names a person, not a town
        if not named:
            return None
        inside = [place.name for place in named if place.inside]
        outside = [place.name for place in named if not place.inside]
        return places_sentence(self.kb.call.region, inside, outside)

    def fallback_text(self, english: bool = False) -> str:
        call = self.kb.call
        if english:
            return wording.ENGLISH_FALLBACK.format(call=call.name, documents=call.documents_url)
        return wording.FALLBACK.format(documents=call.documents_url, contacts=contacts_text(call))
