"""Deadline reminders: subscribing, and sending each due reminder at most once per chat.

The ledger (bot.store.reminders) decides who still needs which reminder; a front end provides
the alarm that wakes the bot at a slot's time (Telegram: PTB's JobQueue) and the delivery of one
message. A reminder missed while the bot was down is sent late within LATE_GRACE, else skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Protocol

from bot.core.knowledge import Knowledge
from bot.core.storage import stored
from bot.domain import ReminderStatus, Slot, schedule
from bot.store.reminders import ReminderLedger

log = logging.getLogger(__name__)
LATE_GRACE = timedelta(hours=6)
"""A reminder missed while the bot was down is still sent this long after its time."""


class Subscribed(Enum):
    NEW = "new"
    ALREADY = "already"
    NO_MORE_REMINDERS = "no more reminders"
    """Subscribed, but every reminder of the call is past."""
    CALL_CLOSED = "call closed"
    """Not subscribed: nothing left to remind of."""


@dataclass(frozen=True)
class Subscription:
    result: Subscribed
    upcoming: tuple[Slot, ...] = ()
    """The reminders this chat will get."""


@dataclass(frozen=True)
class Delivery:
    """How sending one reminder went."""

    status: ReminderStatus
    detail: str | None = None
    blocked: bool = False
    """The chat blocked the bot: its subscription ends, and its chat id goes."""


class Alarm(Protocol):
    def set(self, slot: Slot, delay: timedelta) -> None:
        """Wake the bot for this slot after `delay` (replacing an earlier alarm for it)."""


Deliver = Callable[[int, Slot], Awaitable[Delivery]]


class Reminders:
    def __init__(self, ledger: ReminderLedger, knowledge: Knowledge) -> None:
        self.ledger = ledger
        self.knowledge = knowledge
        self._alarm: Alarm | None = None
        self._sending = asyncio.Lock()
        """One broadcast at a time."""

    async def subscribe(self, chat_id: int) -> Subscription:
        """/erinnerung: remind this chat of the deadline(s) – while there is anything to remind of."""
        now = self.knowledge.now()
        if now > self.knowledge.kb.call.closes:
            return Subscription(Subscribed.CALL_CLOSED)
        new = await stored(self.ledger.subscribe(chat_id, now))
        upcoming = self.upcoming(now)
        if not upcoming:
            return Subscription(Subscribed.NO_MORE_REMINDERS)
        return Subscription(Subscribed.NEW if new else Subscribed.ALREADY, upcoming)

    async def unsubscribe(self, chat_id: int) -> bool:
        """/abmelden, or the bot was blocked or removed; False if the chat was not subscribed."""
        return await stored(self.ledger.unsubscribe(chat_id))

    def upcoming(self, now: datetime) -> tuple[Slot, ...]:
        return tuple(slot for slot in schedule(self.knowledge.kb.call) if slot.due > now)

    def ring_with(self, alarm: Alarm) -> None:
        """How the front end wakes the bot at a slot's time; `plan` sets its alarms."""
        self._alarm = alarm

    async def plan(self) -> None:
        """Set an alarm for every future slot; catch up on, or skip, slots missed while down."""
        now = self.knowledge.now()
        for slot in schedule(self.knowledge.kb.call):
            late = slot.due <= now
            if late and (now - slot.due > LATE_GRACE or now > slot.deadline.ends):
                skipped = await self.ledger.skip(slot, now, "Bot war zu der Zeit nicht in Betrieb")
                if skipped:
                    log.warning("reminder %s skipped for %d chats: too late to be useful", slot.job_name, skipped)
                continue
            if late:
                log.warning("reminder %s was due at %s: sending it late", slot.job_name, slot.due.isoformat())
            if self._alarm is not None:
                self._alarm.set(slot, max(slot.due - now, timedelta(0)))

    async def broadcast(self, slot: Slot, deliver: Deliver) -> None:
        """Send the slot's reminder to everyone still waiting for it, one at a time, each at most once."""
        async with self._sending:
            chats = await self.ledger.recipients(slot)
            log.info("reminder %s: sending to %d chats", slot.job_name, len(chats))
            for chat_id in chats:
                now = self.knowledge.now()
                if now > slot.deadline.ends:
                    await self.ledger.skip(slot, now, "Frist inzwischen abgelaufen")
                    break
                if await self.ledger.claim(chat_id, slot, now):
                    delivery = await deliver(chat_id, slot)
                    if delivery.blocked:
                        await self.ledger.unsubscribe(chat_id)
                        log.info("reminder: a chat blocked the bot; its subscription and chat id are deleted")
                    await self.ledger.settle(chat_id, slot, delivery.status, self.knowledge.now(), delivery.detail)
