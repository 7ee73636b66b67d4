"""The services a front end gets, over one database, opened and closed together."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.core.asking import Ask
from bot.core.journal import Journal
from bot.core.knowledge import Knowledge
from bot.core.operations import Reload, Stats
from bot.core.privacy import Privacy
from bot.core.reminders import Reminders
from bot.engine import Engine
from bot.store.database import Database, prepare_data_dir
from bot.store.pseudonym import Pseudonymizer, load_secret
from bot.store.querylog import QueryLog
from bot.store.reminders import ReminderLedger


@dataclass(frozen=True)
class Services:
    knowledge: Knowledge
    ask: Ask
    reminders: Reminders
    privacy: Privacy
    reload: Reload
    stats: Stats
    journal: Journal
    database: Database
    querylog: QueryLog

    @classmethod
    def build(cls, settings: Settings, engine: Engine, clock: Clock) -> Services:
        knowledge = Knowledge(engine, clock)
        database = Database(settings.data_dir)
        querylog = QueryLog(database)
        ledger = ReminderLedger(database)
        pseudonyms = Pseudonymizer(load_secret(prepare_data_dir(settings.data_dir), settings.secret))
        journal = Journal(querylog, pseudonyms, knowledge)
        ask = Ask(knowledge, journal)
        reminders = Reminders(ledger, knowledge)
        return cls(
            knowledge=knowledge,
            ask=ask,
            reminders=reminders,
            privacy=Privacy(querylog, ledger, pseudonyms, ask, knowledge, settings.retention_days),
            reload=Reload(knowledge, settings.knowledge, reminders),
            stats=Stats(querylog, knowledge),
            journal=journal,
            database=database,
            querylog=querylog,
        )

    async def open(self) -> None:
        await self.database.open()
        await self.querylog.open()

    async def close(self) -> None:
        await self.querylog.close()
        await self.database.close()
