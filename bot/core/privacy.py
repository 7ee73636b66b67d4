"""The person's side of the DSGVO: what the bot holds about them (Art. 15), forgetting it (Art. 17),
and deleting old questions after the retention period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.asking import Ask
from bot.core.knowledge import Knowledge
from bot.core.storage import stored
from bot.store.pseudonym import Pseudonymizer
from bot.store.querylog import QueryLog
from bot.store.reminders import ReminderLedger


@dataclass(frozen=True)
class MyData:
    questions: list[tuple[str, str, str]]
    """(time, text, events) of every logged question, oldest first; events: "up", "down", "choice",
    comma-separated."""
    subscribed_since: datetime | None
    retention_days: int


@dataclass(frozen=True)
class Forgotten:
    questions: int
    events: int
    subscriptions: int


class Privacy:
    def __init__(
        self,
        querylog: QueryLog,
        ledger: ReminderLedger,
        pseudonyms: Pseudonymizer,
        ask: Ask,
        knowledge: Knowledge,
        retention_days: int,
    ) -> None:
        self.querylog = querylog
        self.ledger = ledger
        self.pseudonyms = pseudonyms
        self.ask = ask
        self.knowledge = knowledge
        self.retention_days = retention_days

    async def my_data(self, user_id: int, chat_id: int) -> MyData:
        """Everything the bot holds about this person, found through the pseudonymous key."""
        questions = await stored(self.querylog.questions_of(self.pseudonyms.key(user_id)))
        since = await stored(self.ledger.subscribed_since(chat_id))
        return MyData(questions, since, self.retention_days)

    async def forget(self, user_id: int, chat_id: int) -> Forgotten:
        """Delete questions, feedback and – in the person's private chat – the subscription; safe to repeat."""
        self.ask.start_over(chat_id)
        questions, events = await stored(self.querylog.forget(self.pseudonyms.key(user_id)))
        subscriptions = 0
        if chat_id == user_id:  # a private chat belongs to this person alone
            subscriptions = await stored(self.ledger.forget_chat(chat_id))
        return Forgotten(questions, events, subscriptions)

    async def expire(self) -> int:
        """Daily: questions older than the retention period go, with their feedback; returns how many."""
        return await self.querylog.purge(self.knowledge.now() - timedelta(days=self.retention_days))
