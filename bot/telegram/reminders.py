"""Deadline reminders: planned from the knowledge base, woken by the JobQueue, sent at most once.

The database decides who still needs which reminder (bot.store.reminders); the JobQueue only
wakes the bot at the right moment (explicit job ids, planned again at every start). A broadcast
sends one message at a time, a little below the global send rate, so that applicants who are
waiting for an answer always find room in the rate limiter.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import aiosqlite
from aiolimiter import AsyncLimiter
from babel.dates import format_date
from babel.lists import format_list
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.engine.render import LOCALE, deadline_sentence
from bot.store import reminders as ledger
from bot.store.database import Database
from bot.telegram import texts

log = logging.getLogger(__name__)
LATE_GRACE = timedelta(hours=6)
"""A reminder missed while the bot was down is still sent this long after its time."""
BROADCAST_SHARE = 0.97
"""Share of the global send rate a broadcast may use; the rest stays free for replies."""
MAX_ATTEMPTS = 5


class Reminders:
    def __init__(self, state) -> None:
        self.state = state
        self._lock = asyncio.Lock()
        rate = state.settings.send_rate
        self._pace = AsyncLimiter(1, 1 / (rate * BROADCAST_SHARE)) if rate > 0 else None
        self._database = Database(state.settings.data_dir, "reminders")

    async def open(self) -> None:
        await self._database.connection()

    async def db(self) -> aiosqlite.Connection:
        """The ledger's connection, opened anew if the database file was deleted or replaced."""
        return await self._database.connection()

    async def close(self) -> None:
        await self._database.close()

    def upcoming(self, now: datetime) -> list[ledger.Slot]:
        return [slot for slot in ledger.schedule(self.state.kb.call) if slot.due > now]

    async def plan(self, application: Application) -> None:
        """Wake up at every future slot; catch up on, or skip, slots missed while down."""
        now = self.state.clock.now()
        for slot in ledger.schedule(self.state.kb.call):
            late = slot.due <= now
            if late and (now - slot.due > LATE_GRACE or now > slot.deadline.ends):
                skipped = await ledger.skip(await self.db(), slot, now, "Bot war zu der Zeit nicht in Betrieb")
                if skipped:
                    log.warning("reminder %s skipped for %d chats: too late to be useful", slot.job_name, skipped)
                continue
            if late:
                log.warning("reminder %s was due at %s: sending it late", slot.job_name, slot.due.isoformat())
            application.job_queue.run_once(
                self._wake,
                when=max((slot.due - now).total_seconds(), 0),
                data=slot,
                name=slot.job_name,
                job_kwargs={"id": slot.job_name, "replace_existing": True},
            )

    async def _wake(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        context.application.create_task(self.broadcast(context.application, context.job.data))

    async def broadcast(self, application: Application, slot: ledger.Slot) -> None:
        async with self._lock:
            chats = await ledger.recipients(await self.db(), slot)
            log.info("reminder %s: sending to %d chats", slot.job_name, len(chats))
            for chat_id in chats:
                now = self.state.clock.now()
                if now > slot.deadline.ends:
                    await ledger.skip(await self.db(), slot, now, "Frist inzwischen abgelaufen")
                    break
                if await ledger.claim(await self.db(), chat_id, slot, now):
                    status, detail = await self._deliver(application, chat_id, slot)
                    await ledger.settle(await self.db(), chat_id, slot, status, self.state.clock.now(), detail)

    async def _deliver(self, application: Application, chat_id: int, slot: ledger.Slot) -> tuple[str, str | None]:
        text = reminder_text(self.state.kb.call, slot, self.state.clock.now())
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self._pace:
                await self._pace.acquire()
            try:
                await application.bot.send_message(chat_id, text)
                return "sent", None
            except Forbidden as exc:
                await ledger.unsubscribe(await self.db(), chat_id)
                log.info("reminder: a chat blocked the bot; its subscription and chat id are deleted")
                return "failed", f"blockiert: {exc.message}"
            except RetryAfter as exc:
                log.warning("reminder: Telegram asks to wait %ss", exc.retry_after)
                await asyncio.sleep(_seconds(exc.retry_after))
            except TimedOut:
                return "failed", "Zeitüberschreitung – Zustellung unklar, daher nicht wiederholt"
            except BadRequest as exc:
                return "failed", exc.message
            except NetworkError as exc:
                log.warning("reminder: network error (%s), attempt %d of %d", exc.message, attempt, MAX_ATTEMPTS)
                await asyncio.sleep(min(2**attempt, 30))
        return "failed", "zu viele Fehlversuche"


def _seconds(retry_after: float | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def reminder_text(call, slot: ledger.Slot, now: datetime) -> str:
    """Rendered at send time, so "morgen" and "heute" are true when the message arrives."""
    return texts.REMINDER.format(
        label=slot.deadline.label, sentence=deadline_sentence(slot.deadline, now), documents=call.documents_url
    )


def planned_dates(slots: list[ledger.Slot]) -> str:
    """ "3. Februar 2017, 10. Februar 2017 und 16. Februar 2017" (Babel's German list)."""
    return format_list([format_date(slot.due.date(), format="long", locale=LOCALE) for slot in slots], locale=LOCALE)
