"""Score the engine on a labelled question set (the format of shared/eval/dev.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from bot.engine.answer import Engine, Outcome, Reply
from bot.engine.memory import ConversationMemory
from bot.german import os_error_text
from bot.knowledge import TOPICS
from bot.knowledge.yamlsource import YamlProblem, load_yaml

FALLBACK = "fallback"


class EvalSetError(ValueError):
    """The labelled file cannot be read; the message names the item."""


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    topics: frozenset[str]
    mentions: tuple[tuple[str, ...], ...]
    also: frozenset[str] = frozenset()
    """Topics of a second question in the same message."""
    conversation: int | None = None
    """Turns of one conversation share a number and are asked in order, in one chat."""

    @property
    def in_scope(self) -> bool:
        return self.topics != {FALLBACK}

    def chat(self, index: int) -> str | int:
        """The chat it is asked in: a conversation's turns share one, every other question has its own."""
        return self.conversation if self.conversation is not None else f"q{index}"


@dataclass(frozen=True)
class Judged:
    item: LabelledQuestion
    reply: Reply

    @property
    def topic(self) -> str | None:
        return self.reply.entry.topic if self.reply.entry else None

    @property
    def missing_mentions(self) -> list[str]:
        text = self.reply.text.casefold()
        return [" | ".join(group) for group in self.item.mentions if not any(m.casefold() in text for m in group)]

    @property
    def wrong(self) -> bool:
        """The primary answer from a topic the label does not allow, or a second answer from
        a topic neither question asked about."""
        if self.reply.outcome is not Outcome.ANSWER:
            return False
        allowed = self.item.topics | self.item.also
        return self.topic not in self.item.topics or any(r.entry.topic not in allowed for r in self.reply.also)

    @property
    def both_answered(self) -> bool:
        """A two-question message whose reply answers each question with its own entry (both may
        share a topic: "Welche Kosten sind förderfähig, und wird die Mehrwertsteuer bezahlt?")."""
        entries = self.reply.entries
        if len(entries) < 2 or self.wrong:
            return False
        return any(
            first.topic in self.item.topics and second.topic in self.item.also
            for first in entries
            for second in entries
            if first != second
        )

    @property
    def correct(self) -> bool:
        if self.reply.outcome is Outcome.FALLBACK:
            return FALLBACK in self.item.topics
        return self.reply.outcome is Outcome.ANSWER and not self.wrong and not self.missing_mentions

    @property
    def succeeded(self) -> bool:
        """In scope: answered correctly; out of scope: rejected."""
        return self.correct if self.item.in_scope else self.reply.outcome is Outcome.FALLBACK


@dataclass
class Report:
    judged: list[Judged] = field(default_factory=list)

    def _share(self, hits: int, total: int) -> float:
        return hits / total if total else 1.0

    @property
    def in_scope(self) -> list[Judged]:
        return [j for j in self.judged if j.item.in_scope]

    @property
    def out_of_scope(self) -> list[Judged]:
        return [j for j in self.judged if not j.item.in_scope]

    @property
    def accuracy(self) -> float:
        return self._share(sum(j.correct for j in self.in_scope), len(self.in_scope))

    @property
    def clarify_rate(self) -> float:
        return self._share(sum(j.reply.outcome is Outcome.CLARIFY for j in self.in_scope), len(self.in_scope))

    @property
    def wrong_rate(self) -> float:
        """Answers from a topic the label does not allow, over all questions."""
        return self._share(sum(j.wrong for j in self.judged), len(self.judged)) if self.judged else 0.0

    @property
    def rejection(self) -> float:
        return self._share(sum(j.reply.outcome is Outcome.FALLBACK for j in self.out_of_scope), len(self.out_of_scope))

    @property
    def two_questions(self) -> tuple[int, int]:
        """(answered both, messages with two questions)."""
        items = [j for j in self.judged if j.item.also]
        return sum(j.both_answered for j in items), len(items)

    @property
    def mentions_missing(self) -> list[Judged]:
        return [j for j in self.judged if j.reply.outcome is Outcome.ANSWER and not j.wrong and j.missing_mentions]

    @property
    def misses(self) -> list[Judged]:
        return [j for j in self.judged if not j.succeeded]

    def per_topic(self) -> list[tuple[str, int, int, int, int]]:
        """(topic, questions, correct, clarify, wrong) per labelled topic."""
        rows = []
        for topic in [*TOPICS, FALLBACK]:
            items = [j for j in self.judged if sorted(j.item.topics)[0] == topic]
            if not items:
                continue
            good = sum(j.succeeded for j in items)
            clarify = sum(j.reply.outcome is Outcome.CLARIFY for j in items)
            rows.append((topic, len(items), good, clarify, sum(j.wrong for j in items)))
        return rows


def load_eval_set(path: Path) -> list[LabelledQuestion]:
    """Questions ({q, topic, mentions?, also?}) or conversations ({turns: [...]}), in file order."""
    try:
        data = load_yaml(Path(path))
    except OSError as exc:
        raise EvalSetError(os_error_text(exc)) from exc
    except YamlProblem as exc:
        raise EvalSetError(f"{path}:{exc.line or 1}: {exc.message}") from exc
    if not isinstance(data, list):
        raise EvalSetError(f"{path}: erwartet eine Liste von {{q: …, topic: …}} oder {{turns: […]}}")
    items = []
    for number, raw in enumerate(data, start=1):
        if isinstance(raw, dict) and isinstance(raw.get("turns"), list):
            items += [_question(path, f"{number}.{turn}", t, number) for turn, t in enumerate(raw["turns"], start=1)]
        else:
            items.append(_question(path, str(number), raw, None))
    return items


def _question(path: Path, number: str, raw: object, conversation: int | None) -> LabelledQuestion:
    if not isinstance(raw, dict) or not isinstance(raw.get("q"), str) or "topic" not in raw:
        raise EvalSetError(f"{path}: Eintrag {number} braucht „q“ (Text) und „topic“")
    topics, also = _topics(raw["topic"]), _topics(raw.get("also") or [])
    unknown = [t for t in topics | also if t not in (*TOPICS, FALLBACK)]
    if unknown:
        raise EvalSetError(f"{path}: Eintrag {number}: unbekanntes topic {unknown[0]!r}")
    mentions = tuple(tuple(str(m) for m in group) for group in raw.get("mentions") or [])
    return LabelledQuestion(raw["q"], topics, mentions, also, conversation)


def _topics(value: object) -> frozenset[str]:
    return frozenset(str(t) for t in (value if isinstance(value, list) else [value]))


def evaluate(engine: Engine, items: list[LabelledQuestion], now: datetime) -> Report:
    """Each question on its own; the turns of a conversation each after the one before."""
    memory = ConversationMemory(timedelta(minutes=engine.thresholds.follow_up_minutes))
    judged = []
    for index, item in enumerate(items):
        chat = item.chat(index)
        reply = engine.reply(item.question, now, memory.previous(chat, now))
        memory.remember(chat, reply, now)
        judged.append(Judged(item, reply))
    return Report(judged)
