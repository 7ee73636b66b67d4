"""Reminder subscriptions and the ledger that makes each reminder go out at most once.

The database is the source of truth. Before a reminder is sent its row is written as 'sending'
and committed; after Telegram accepted it the row becomes 'sent'. A row is never sent again, so
a restart cannot send twice; a row left in 'sending' by a crash is reported as uncertain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.knowledge import Call, Deadline
from bot.store.report import utc_iso


@dataclass(frozen=True)
class Slot:
    """One reminder moment: a deadline, how many days before it, and when that is."""

    deadline: Deadline
    days_before: int
    due: datetime

    @property
    def job_name(self) -> str:
        return f"reminder:{self.deadline.id}:{self.days_before}"


def schedule(call: Call) -> list[Slot]:
    """Every reminder slot of the call, earliest first; none after its deadline has ended."""
    slots = []
    for deadline in call.deadlines:
        for days in call.reminders.days_before:
            due = datetime.combine(deadline.day - timedelta(days=days), call.reminders.at, call.tz)
            if due <= deadline.ends:
                slots.append(Slot(deadline, days, due))
    return sorted(slots, key=lambda slot: slot.due)


async def subscribe(connection: aiosqlite.Connection, chat_id: int, now: datetime) -> bool:
    """Subscribe or re-activate; returns False if the chat was already subscribed."""
    async with connection.execute("SELECT active FROM subscriptions WHERE chat_id = ?", (chat_id,)) as cursor:
        row = await cursor.fetchone()
    if row and row[0]:
        return False
    await connection.execute(
        "INSERT INTO subscriptions (chat_id, subscribed_at, active) VALUES (?, ?, 1)"
        " ON CONFLICT (chat_id) DO UPDATE SET subscribed_at = excluded.subscribed_at, active = 1, ended_reason = NULL",
        (chat_id, utc_iso(now)),
    )
    await connection.commit()
    return True


async def unsubscribe(connection: aiosqlite.Connection, chat_id: int) -> bool:
    """End a subscription: the chat id goes, with its reminder ledger; returns False if there was none.

    Nothing is kept after /abmelden or a block. Sent at most once still holds: a new subscription
    only gets the reminders whose time is after it.
    """
    return await forget_chat(connection, chat_id) > 0


async def subscribed_since(connection: aiosqlite.Connection, chat_id: int) -> str | None:
    """When the chat subscribed, if it is subscribed."""
    query = "SELECT subscribed_at FROM subscriptions WHERE chat_id = ? AND active = 1"
    async with connection.execute(query, (chat_id,)) as cursor:
        row = await cursor.fetchone()
    return row[0] if row else None


async def forget_chat(connection: aiosqlite.Connection, chat_id: int) -> int:
    """Delete a chat's subscription and its reminder ledger; returns 1 if there was a subscription."""
    await connection.execute("DELETE FROM reminders WHERE chat_id = ?", (chat_id,))
    cursor = await connection.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
    await connection.commit()
    return cursor.rowcount


async def recipients(connection: aiosqlite.Connection, slot: Slot) -> list[int]:
    """Active subscribers from before the slot's time who have no ledger row for it yet."""
    query = (
        "SELECT chat_id FROM subscriptions s WHERE active = 1 AND subscribed_at < ? AND NOT EXISTS"
        " (SELECT 1 FROM reminders r WHERE r.chat_id = s.chat_id AND r.deadline = ? AND r.days_before = ?)"
        " ORDER BY subscribed_at, chat_id"
    )
    async with connection.execute(query, (utc_iso(slot.due), slot.deadline.id, slot.days_before)) as cursor:
        return [chat_id for (chat_id,) in await cursor.fetchall()]


async def claim(connection: aiosqlite.Connection, chat_id: int, slot: Slot, now: datetime) -> bool:
    """Write 'sending' before the send; False if another run already has a row for it."""
    cursor = await connection.execute(
        "INSERT OR IGNORE INTO reminders (chat_id, deadline, days_before, status, at) VALUES (?, ?, ?, 'sending', ?)",
        (chat_id, slot.deadline.id, slot.days_before, utc_iso(now)),
    )
    await connection.commit()
    return cursor.rowcount == 1


async def settle(
    connection: aiosqlite.Connection, chat_id: int, slot: Slot, status: str, now: datetime, detail: str | None = None
) -> None:
    await connection.execute(
        "UPDATE reminders SET status = ?, at = ?, detail = ? WHERE chat_id = ? AND deadline = ? AND days_before = ?",
        (status, utc_iso(now), detail, chat_id, slot.deadline.id, slot.days_before),
    )
    await connection.commit()


async def skip(connection: aiosqlite.Connection, slot: Slot, now: datetime, reason: str) -> int:
    """Record that this slot was missed for everyone still waiting for it."""
    waiting = await recipients(connection, slot)
    await connection.executemany(
        "INSERT OR IGNORE INTO reminders (chat_id, deadline, days_before, status, at, detail)"
        " VALUES (?, ?, ?, 'skipped', ?, ?)",
        [(chat_id, slot.deadline.id, slot.days_before, utc_iso(now), reason) for chat_id in waiting],
    )
    await connection.commit()
    return len(waiting)


async def overview(connection: aiosqlite.Connection) -> tuple[int, dict[tuple[str, int], dict[str, int]]]:
    """Subscriber count, and per slot how many reminders are in which state."""
    async with connection.execute("SELECT count(*) FROM subscriptions WHERE active = 1") as cursor:
        (subscribers,) = await cursor.fetchone()
    per_slot: dict[tuple[str, int], dict[str, int]] = {}
    query = "SELECT deadline, days_before, status, count(*) FROM reminders GROUP BY deadline, days_before, status"
    async with connection.execute(query) as cursor:
        async for deadline, days, status, count in cursor:
            per_slot.setdefault((deadline, days), {})[status] = count
    return subscribers, per_slot
