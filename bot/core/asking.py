"""Ask, choose, vote: a question gets a reply in its conversation's context, and the log hears of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.core.journal import Asker, Journal
from bot.core.knowledge import Knowledge
from bot.domain import EventKind
from bot.engine import Reply
from bot.engine.memory import ConversationMemory
from bot.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Answered:
    """A reply, with what a front end needs to show it."""

    reply: Reply
    kb: KnowledgeBase
    """The knowledge base the reply was made from."""
    ref: str | None = None
    """The logged question, for choice and vote buttons; None when nothing was logged."""
    call_open: bool = False
    """While the call is open, a deadline answer may offer reminders."""


class Ask:
    """Questions and what people do with the answers, each chat with its own short memory."""

    def __init__(self, knowledge: Knowledge, journal: Journal | None = None) -> None:
        """Without a journal (the terminal) nothing is logged."""
        self.knowledge = knowledge
        self.journal = journal
        minutes = knowledge.engine.thresholds.follow_up_minutes
        self.memory = ConversationMemory(timedelta(minutes=minutes))
        """Each chat's last answer, in memory only, for follow-ups like "Und Vereine?"."""

    def ask(self, text: str, asker: Asker) -> Answered:
        """Answer a message, read together with what this chat asked last."""
        engine, now = self.knowledge.engine, self.knowledge.now()
        reply = engine.reply(text, now, self.memory.previous(asker.chat, now))
        self.memory.remember(asker.chat, reply, now)
        ref = self.journal.question(asker, reply) if self.journal else None
        return self._answered(reply, engine.kb, ref)

    def show(self, entry_id: str, chat: int | str | None = None) -> Answered | None:
        """An entry's answer (a button, a deep link); with a chat, a follow-up refers to it.

        None if the entry does not exist (any more).
        """
        engine = self.knowledge.engine
        entry = engine.kb.by_id.get(entry_id)
        if entry is None:
            return None
        now = self.knowledge.now()
        reply = engine.answer(entry, now)
        if chat is not None:
            self.memory.remember(chat, reply, now)
        return self._answered(reply, engine.kb, None)

    def choose(self, ref: str, entry_id: str, chat: int | str) -> Answered | None:
        """A choice in "Meinten Sie …?": logged against the question, then answered."""
        answered = self.show(entry_id, chat)
        if answered is not None and self.journal:
            self.journal.event(ref, EventKind.CHOICE, entry_id)
        return answered

    def vote(self, ref: str, entry_id: str, kind: EventKind) -> None:
        """👍 or 👎 for the answer to a logged question; the last vote counts."""
        if self.journal:
            self.journal.event(ref, kind, entry_id)

    def check_result(self, result_id: str) -> None:
        """A result reached in the eligibility check, counted per day."""
        if self.journal:
            self.journal.check_result(result_id)

    def start_over(self, chat: int | str) -> None:
        """/start and /vergessen: the next message is read without the earlier context."""
        self.memory.forget(chat)

    def _answered(self, reply: Reply, kb: KnowledgeBase, ref: str | None) -> Answered:
        return Answered(reply, kb, ref, call_open=self.knowledge.now() <= kb.call.closes)
