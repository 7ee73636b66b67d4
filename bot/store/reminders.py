"""Reminder subscriptions and the ledger that makes each reminder go out at most once.

The database is the source of truth. Before a reminder is sent its row is written as 'sending'
and committed; after Telegram accepted it the row becomes 'sent'. A row is never sent again, so
a restart cannot send twice; a row left in 'sending' by a crash is reported as uncertain.
When the reminders are due is the domain's business (bot.domain.schedule).
"""

from __future__ import annotations

from datetime import datetime

from bot.domain import ReminderStatus, Slot
from bot.store.database import Database
from bot.store.times import utc_iso

_RECIPIENTS = (
    "SELECT chat_id FROM subscriptions s WHERE active = 1 AND subscribed_at < ? AND NOT EXISTS"
    " (SELECT 1 FROM reminders r WHERE r.chat_id = s.chat_id AND r.deadline = ? AND r.days_before = ?)"
    " ORDER BY subscribed_at, chat_id"
)

_PER_SLOT = "SELECT deadline, days_before, status, count(*) FROM reminders GROUP BY deadline, days_before, status"


class ReminderLedger:
    """The reminder store on the bot's database: who subscribed, and what was sent to whom."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def subscribe(self, chat_id: int, now: datetime) -> bool:
        """Subscribe or re-activate; returns False if the chat was already subscribed."""
        async with self.database.transaction() as connection:
            query = "SELECT active FROM subscriptions WHERE chat_id = ?"
            async with connection.execute(query, (chat_id,)) as cursor:
                row = await cursor.fetchone()
            if row and row[0]:
                return False
            await connection.execute(
                "INSERT INTO subscriptions (chat_id, subscribed_at, active) VALUES (?, ?, 1) ON CONFLICT (chat_id)"
                " DO UPDATE SET subscribed_at = excluded.subscribed_at, active = 1, ended_reason = NULL",
                (chat_id, utc_iso(now)),
            )
        return True

    async def unsubscribe(self, chat_id: int) -> bool:
        """End a subscription: the chat id goes, with its reminder ledger; returns False if there was none.

        Nothing is kept after /abmelden or a block. Sent at most once still holds: a new subscription
        only gets the reminders whose time is after it.
        """
        return await self.forget_chat(chat_id) > 0

    async def subscribed_since(self, chat_id: int) -> datetime | None:
        """When the chat subscribed, if it is subscribed."""
        query = "SELECT subscribed_at FROM subscriptions WHERE chat_id = ? AND active = 1"
        async with self.database.reading() as connection, connection.execute(query, (chat_id,)) as cursor:
            row = await cursor.fetchone()
        return datetime.fromisoformat(row[0]) if row else None

    async def forget_chat(self, chat_id: int) -> int:
        """Delete a chat's subscription and its reminder ledger; returns 1 if there was a subscription."""
        async with self.database.transaction() as connection:
            await connection.execute("DELETE FROM reminders WHERE chat_id = ?", (chat_id,))
            cursor = await connection.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return cursor.rowcount

    async def recipients(self, slot: Slot) -> list[int]:
        """Active subscribers from before the slot's time who have no ledger row for it yet."""
        parameters = (utc_iso(slot.due), slot.deadline.id, slot.days_before)
        async with self.database.reading() as connection, connection.execute(_RECIPIENTS, parameters) as cursor:
            return [chat_id for (chat_id,) in await cursor.fetchall()]

    async def claim(self, chat_id: int, slot: Slot, now: datetime) -> bool:
        """Write 'sending' before the send; False if another run already has a row for it."""
        async with self.database.transaction() as connection:
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO reminders (chat_id, deadline, days_before, status, at) VALUES (?, ?, ?, ?, ?)",
                (chat_id, slot.deadline.id, slot.days_before, ReminderStatus.SENDING, utc_iso(now)),
            )
        return cursor.rowcount == 1

    async def settle(
        self, chat_id: int, slot: Slot, status: ReminderStatus, now: datetime, detail: str | None = None
    ) -> None:
        async with self.database.transaction() as connection:
            await connection.execute(
                "UPDATE reminders SET status = ?, at = ?, detail = ?"
                " WHERE chat_id = ? AND deadline = ? AND days_before = ?",
                (status, utc_iso(now), detail, chat_id, slot.deadline.id, slot.days_before),
            )

    async def skip(self, slot: Slot, now: datetime, reason: str) -> int:
        """Record that this slot was missed for everyone still waiting for it."""
        async with self.database.transaction() as connection:
            parameters = (utc_iso(slot.due), slot.deadline.id, slot.days_before)
            async with connection.execute(_RECIPIENTS, parameters) as cursor:
                waiting = [chat_id for (chat_id,) in await cursor.fetchall()]
            await connection.executemany(
                "INSERT OR IGNORE INTO reminders (chat_id, deadline, days_before, status, at, detail)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (chat_id, slot.deadline.id, slot.days_before, ReminderStatus.SKIPPED, utc_iso(now), reason)
                    for chat_id in waiting
                ],
            )
        return len(waiting)

    async def overview(self) -> tuple[int, dict[tuple[str, int], dict[str, int]]]:
        """Subscriber count, and per slot how many reminders are in which state."""
        async with self.database.reading() as connection:
            async with connection.execute("SELECT count(*) FROM subscriptions WHERE active = 1") as cursor:
                (subscribers,) = await cursor.fetchone()
            per_slot: dict[tuple[str, int], dict[str, int]] = {}
            async with connection.execute(_PER_SLOT) as cursor:
                async for deadline, days, status, count in cursor:
                    per_slot.setdefault((deadline, days), {})[status] = count
        return subscribers, per_slot
