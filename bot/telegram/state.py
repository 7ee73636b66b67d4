"""What the handlers share: the current engine (swapped on reload), the clock, the query log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

import aiosqlite
from telegram import Update
from telegram.ext import ContextTypes

from bot.clock import Clock
from bot.config import Settings
from bot.engine import Engine, Reply
from bot.engine.memory import ConversationMemory
from bot.knowledge import KnowledgeBase, Severity, read_knowledge
from bot.store.inbox import Inbox
from bot.store.pseudonym import Pseudonymizer, load_secret
from bot.store.querylog import EventRecord, Handled, QueryLog, QuestionRecord
from bot.store.redact import redact
from bot.store.report import utc_iso
from bot.telegram.flood import FloodGuard
from bot.telegram.reminders import Reminders

log = logging.getLogger(__name__)
CANDIDATES_LOGGED = 3
STORAGE_WAIT = 5.0
"""Seconds a reply may wait for the database before the user hears "gerade nicht möglich"."""
T = TypeVar("T")


class StorageUnavailable(Exception):
    """The database is full, locked, unwritable or too slow: a reply that needs it cannot be given now."""


async def stored(work: Awaitable[T]) -> T:
    """Storage work a reply waits for, bounded: a broken database must not hold a chat (or shutdown)."""
    try:
        return await asyncio.wait_for(work, STORAGE_WAIT)
    except (TimeoutError, aiosqlite.Error, OSError) as exc:
        raise StorageUnavailable(type(exc).__name__) from exc


@dataclass
class BotState:
    engine: Engine
    clock: Clock
    settings: Settings
    flood: FloodGuard = field(init=False)
    querylog: QueryLog = field(init=False)
    inbox: Inbox = field(init=False)
    reminders: Reminders = field(init=False)
    pseudonyms: Pseudonymizer = field(init=False)
    memory: ConversationMemory = field(init=False)
    """Each chat's last answer, in memory only, for follow-ups like "Und Vereine?"."""

    def __post_init__(self) -> None:
        self.memory = ConversationMemory(timedelta(minutes=self.engine.thresholds.follow_up_minutes))
        self.flood = FloodGuard(self.settings.flood_messages, self.settings.flood_window)
        self.querylog = QueryLog(self.settings.data_dir)
        self.inbox = Inbox(self.settings.data_dir)
        self.reminders = Reminders(self)

    async def open(self) -> None:
        await self.querylog.open()
        await self.inbox.open()
        await self.reminders.open()
        self.pseudonyms = Pseudonymizer(load_secret(self.settings.data_dir, self.settings.secret))

    async def close(self) -> None:
        await self.querylog.close()
        await self.inbox.close()
        await self.reminders.close()

    @property
    def kb(self) -> KnowledgeBase:
        return self.engine.kb

    def log_question(self, ref: str, update: Update, text: str, reply: Reply) -> None:
        """Queue the question for the log: a pseudonymous key, never the Telegram id or name."""
        user = update.effective_user
        candidates = [{"entry": c.entry.id, "score": c.score} for c in reply.candidates[:CANDIDATES_LOGGED]]
        self.querylog.add(
            QuestionRecord(
                ref=ref,
                asked_at=utc_iso(self.clock.now()),
                user_key=self.pseudonyms.key(user.id) if user else "-",
                chat_type=update.effective_chat.type,
                language=user.language_code if user else None,
                text=redact(text),
                outcome=reply.outcome.value,
                entry=reply.entry.id if reply.entry else None,
                score=reply.score,
                candidates=json.dumps(candidates),
                kb_version=self.kb.version,
            )
        )

    def mark_handled(self, update_id: int) -> None:
        """The update is done: its inbox body goes with the next query-log batch."""
        self.querylog.add(Handled(update_id))

    def call_open(self) -> bool:
        return self.clock.now() <= self.kb.call.closes

    def log_event(self, ref: str, kind: str, entry_id: str) -> None:
        self.querylog.add(EventRecord(ref, utc_iso(self.clock.now()), kind, entry_id))

    def reload(self) -> list[str]:
        """Load the knowledge folder again; on errors keep the running version and return them."""
        kb, problems = read_knowledge(self.settings.knowledge)
        errors = [str(p) for p in problems if p.severity is Severity.ERROR]
        if kb is None:
            log.error("knowledge reload failed, keeping version %s: %s", self.kb.version, "; ".join(errors))
            return errors
        self.engine = Engine(kb)
        log.info("knowledge reloaded: version %s, %d entries", kb.version, len(kb.entries))
        return []


def state_of(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data["state"]
