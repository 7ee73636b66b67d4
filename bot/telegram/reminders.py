"""Deadline reminders over Telegram: PTB's JobQueue wakes the bot, one message at a time goes out.

Who gets which reminder, and that none goes out twice, is the core's business
(bot.core.reminders). Here: explicit job ids, planned again at every start and reload, and a
broadcast paced a little below the global send rate, so that applicants who are waiting for an
answer always find room in the rate limiter.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from aiolimiter import AsyncLimiter
from babel.dates import format_date
from babel.lists import format_list
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes

from bot.core.knowledge import Knowledge
from bot.core.reminders import Delivery, Reminders
from bot.domain import ReminderStatus, Slot
from bot.engine.render import deadline_sentence
from bot.german import LOCALE
from bot.knowledge import Call
from bot.telegram import texts

log = logging.getLogger(__name__)
BROADCAST_SHARE = 0.97
"""Share of the global send rate a broadcast may use; the rest stays free for replies."""
MAX_ATTEMPTS = 5


class ReminderJobs:
    """The core's alarm (a JobQueue job per slot) and its delivery (one Telegram message)."""

    def __init__(self, application: Application, reminders: Reminders, knowledge: Knowledge, send_rate: float) -> None:
        self.application = application
        self.reminders = reminders
        self.knowledge = knowledge
        self._pace = AsyncLimiter(1, 1 / (send_rate * BROADCAST_SHARE)) if send_rate > 0 else None

    def set(self, slot: Slot, delay: timedelta) -> None:
        self.application.job_queue.run_once(
            self._wake,
            when=delay.total_seconds(),
            data=slot,
            name=slot.job_name,
            job_kwargs={"id": slot.job_name, "replace_existing": True},
        )

    async def _wake(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        context.application.create_task(self.reminders.broadcast(context.job.data, self.deliver))

    async def deliver(self, chat_id: int, slot: Slot) -> Delivery:
        text = reminder_text(self.knowledge.kb.call, slot, self.knowledge.now())
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self._pace:
                await self._pace.acquire()
            try:
                await self.application.bot.send_message(chat_id, text)
                return Delivery(ReminderStatus.SENT)
            except Forbidden as exc:
                return Delivery(ReminderStatus.FAILED, f"blockiert: {exc.message}", blocked=True)
            except RetryAfter as exc:
                log.warning("reminder: Telegram asks to wait %ss", exc.retry_after)
                await asyncio.sleep(_seconds(exc.retry_after))
            except TimedOut:
                return Delivery(ReminderStatus.FAILED, "Zeitüberschreitung – Zustellung unklar, daher nicht wiederholt")
            except BadRequest as exc:
                return Delivery(ReminderStatus.FAILED, exc.message)
            except NetworkError as exc:
                log.warning("reminder: network error (%s), attempt %d of %d", exc.message, attempt, MAX_ATTEMPTS)
                await asyncio.sleep(min(2**attempt, 30))
        return Delivery(ReminderStatus.FAILED, "zu viele Fehlversuche")


def _seconds(retry_after: float | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def reminder_text(call: Call, slot: Slot, now: datetime) -> str:
    """Rendered at send time, so "morgen" and "heute" are true when the message arrives."""
    return texts.REMINDER.format(
        label=slot.deadline.label, sentence=deadline_sentence(slot.deadline, now), documents=call.documents_url
    )


def planned_dates(slots: tuple[Slot, ...]) -> str:
    """ "3. Februar 2017, 10. Februar 2017 und 16. Februar 2017" (Babel's German list)."""
    return format_list([format_date(slot.due.date(), format="long", locale=LOCALE) for slot in slots], locale=LOCALE)
