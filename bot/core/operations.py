"""What operators do: reload the knowledge base (and re-plan reminders), read the figures."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bot.core.knowledge import Knowledge
from bot.core.reminders import Reminders
from bot.core.storage import stored
from bot.domain import Outcome
from bot.engine import Engine
from bot.knowledge import Severity, read_knowledge
from bot.store.clusters import Cluster
from bot.store.querylog import QueryLog
from bot.store.report import Period

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reloaded:
    errors: list[str]
    """Empty when the new version runs; otherwise why the running one stays."""
    entries: int
    version: str
    """The version running now."""


class Reload:
    """/neuladen and SIGHUP: read the knowledge folder again; a broken one leaves the running version."""

    def __init__(self, knowledge: Knowledge, folder: Path, reminders: Reminders) -> None:
        self.knowledge = knowledge
        self.folder = folder
        self.reminders = reminders

    async def __call__(self) -> Reloaded:
        kb, problems = read_knowledge(self.folder)
        errors = [str(p) for p in problems if p.severity is Severity.ERROR]
        if kb is None:
            running = self.knowledge.kb
            log.error("knowledge reload failed, keeping version %s: %s", running.version, "; ".join(errors))
            return Reloaded(errors, len(running.entries), running.version)
        self.knowledge.replace(Engine(kb))
        log.info("knowledge reloaded: version %s, %d entries", kb.version, len(kb.entries))
        await self.reminders.plan()  # the deadlines may have moved
        return Reloaded([], len(kb.entries), kb.version)


@dataclass(frozen=True)
class Counts:
    """Questions per outcome in a period."""

    per_outcome: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.per_outcome.values())

    @property
    def answer_rate(self) -> float | None:
        return self.per_outcome[Outcome.ANSWER] / self.total if self.total else None


@dataclass(frozen=True)
class Figures:
    """Days in the call's time zone."""

    today: Counts
    last_7_days: Counts
    all_time: Counts


class Stats:
    """/stats and /unbeantwortet: the query log, read in the running bot."""

    def __init__(self, querylog: QueryLog, knowledge: Knowledge) -> None:
        self.querylog = querylog
        self.knowledge = knowledge

    async def figures(self) -> Figures:
        call = self.knowledge.kb.call
        today = self.knowledge.now().astimezone(call.tz).date()

        async def counts(period: Period) -> Counts:
            return Counts(await stored(self.querylog.outcome_counts(call, period)))

        return Figures(
            today=await counts(Period(today, today)),
            last_7_days=await counts(Period(today - timedelta(days=6), today)),
            all_time=await counts(Period(None, None)),
        )

    async def unanswered(self) -> list[Cluster]:
        """The most pressing clusters of questions the bot could not answer, first first."""
        report = await stored(self.querylog.report(self.knowledge.kb.call, Period(None, None), self.knowledge.now()))
        return report.unanswered
