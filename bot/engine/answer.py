"""The engine's one entry point: a question and a clock in, a reply with its outcome out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.engine.matcher import Candidate, Matcher
from bot.engine.render import contacts_text, render
from bot.engine.thresholds import DEFAULT, Thresholds
from bot.knowledge import Entry, KnowledgeBase

MAX_QUESTION_CHARS = 1000
"""Longer messages are cut before matching: nobody asks more than this in one question."""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Unicode's control characters (category Cc) except tab and newline."""


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
    cited: str | None = None
    """The source of the answer variant given (a later variant may cite a later page)."""

    @property
    def source(self) -> str | None:
        return self.cited if self.entry and self.outcome is Outcome.ANSWER else None

    @property
    def text(self) -> str:
        """The reply as plain text, exactly as a user reads it."""
        parts = [self.body]
        if self.options:
            parts.append("\n".join(f"• {option.canonical}" for option in self.options))
        if self.source:
            parts.append(f"Quelle: {self.source}")
        return "\n\n".join(parts)


class Engine:
    """Matching plus rendering over one knowledge base; never touches Telegram or storage."""

    def __init__(self, kb: KnowledgeBase, thresholds: Thresholds = DEFAULT) -> None:
        self.kb = kb
        self.thresholds = thresholds
        self.matcher = Matcher(kb, thresholds)

    def reply(self, question: str, now: datetime) -> Reply:
        question = clean_question(question)
        ranking = self.matcher.rank(question)
        candidates = tuple(ranking.candidates)
        limits = self.thresholds
        if not candidates or candidates[0].score < limits.clarify:
            score = candidates[0].score if candidates else 0.0
            return Reply(question, Outcome.FALLBACK, None, score, candidates, self.fallback_text())
        best = candidates[0]
        runner_up = candidates[1] if len(candidates) > 1 else None
        lead = best.score - (runner_up.score if runner_up else 0.0)
        confident = (
            best.score >= limits.sure or lead >= limits.lead or (best.score >= limits.answer and lead >= limits.margin)
        )
        asks_two_things = (
            runner_up is not None
            and runner_up.score >= limits.clarify
            and ranking.extra_share(best, runner_up) >= limits.second_question
        )
        if confident and not asks_two_things:
            return self.answer(best.entry, now, question=question, score=best.score, candidates=candidates)
        floor = max(limits.clarify, best.score - limits.clarify_window)
        if asks_two_things:
            floor = min(floor, runner_up.score)
        options = tuple(c.entry for c in candidates[: limits.max_options] if c.score >= floor)
        return Reply(question, Outcome.CLARIFY, None, best.score, candidates, "Meinten Sie …?", options)

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

    def fallback_text(self) -> str:
        call = self.kb.call
        return (
            "Dazu habe ich leider keine verlässliche Antwort. "
            f"Verbindlich sind die offiziellen Unterlagen unter {call.documents_url}. "
            f"Beteiligte Stellen: {contacts_text(call)}."
        )
