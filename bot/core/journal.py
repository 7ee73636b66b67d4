"""What goes into the query log: questions under a pseudonymous key, what people did with answers."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.core.knowledge import Knowledge
from bot.domain import EventKind
from bot.engine import Reply
from bot.personal import redact
from bot.store.pseudonym import Pseudonymizer
from bot.store.querylog import CheckRecord, EventRecord, Handled, QueryLog, QuestionRecord
from bot.store.times import utc_iso

CANDIDATES_LOGGED = 3


@dataclass(frozen=True)
class Asker:
    """Who asks, as far as the bot needs to know: the conversation, and what the log may keep."""

    chat: int | str
    """The conversation whose context a follow-up refers to."""
    user_id: int | None = None
    """Only ever stored as a pseudonymous key."""
    chat_type: str = "private"
    language: str | None = None
    update_id: int | None = None
    """Names the logged question (its ref); without one the question is not logged."""


class Journal:
    """Queues records for the query log; never blocks an answer and never holds a Telegram id."""

    def __init__(self, querylog: QueryLog, pseudonyms: Pseudonymizer, knowledge: Knowledge) -> None:
        self.querylog = querylog
        self.pseudonyms = pseudonyms
        self.knowledge = knowledge

    def question(self, asker: Asker, reply: Reply) -> str | None:
        """Log the question; returns its ref for choice and vote buttons (None: not logged)."""
        if asker.update_id is None:
            return None
        ref = self.pseudonyms.question_ref(asker.update_id)
        candidates = [{"entry": c.entry.id, "score": c.score} for c in reply.candidates[:CANDIDATES_LOGGED]]
        self.querylog.add(
            QuestionRecord(
                ref=ref,
                asked_at=utc_iso(self.knowledge.now()),
                user_key=self.pseudonyms.key(asker.user_id) if asker.user_id is not None else "-",
                chat_type=asker.chat_type,
                language=asker.language,
                text=redact(reply.question),
                outcome=reply.outcome,
                entry=reply.entry.id if reply.entry else None,
                score=reply.score,
                candidates=json.dumps(candidates),
                kb_version=self.knowledge.kb.version,
                also_entry=reply.also[0].entry.id if reply.also else None,
            )
        )
        return ref

    def event(self, ref: str, kind: EventKind, entry_id: str) -> None:
        self.querylog.add(EventRecord(ref, utc_iso(self.knowledge.now()), kind, entry_id))

    def check_result(self, result_id: str) -> None:
        """The day and the result, nothing about the person: operators see which results are reached."""
        day = self.knowledge.now().astimezone(self.knowledge.kb.call.tz).date().isoformat()
        self.querylog.add(CheckRecord(day, result_id))

    def handled(self, update_id: int) -> None:
        """The update is done: its inbox body goes with the next query-log batch."""
        self.querylog.add(Handled(update_id))
