"""The durable inbox: no question is lost when the bot is killed in the middle of a burst.

Telegram forgets an update once the bot confirms it (the next getUpdates offset, or a webhook's
200). So every update is written here first, and only then confirmed. When it has been handled,
its body is cleared in the same transaction as its query-log rows (bot.store.querylog); at the
next start, whatever still has a body is handled again. An update_id seen before is not handled
twice. The body – with name and text – is kept only until the update is handled.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiosqlite

from bot.store.database import Database
from bot.store.times import utc_iso

log = logging.getLogger(__name__)
WRITE_WAIT = 1.0
"""Seconds receiving may wait for the database; after that the updates go on without the guarantee."""
KEEP_HANDLED = timedelta(days=2)
"""How long handled update_ids are remembered: Telegram redelivers for at most 24 hours."""
MARK_HANDLED = "UPDATE inbox SET body = NULL WHERE update_id IN (SELECT value FROM json_each(?))"
_KNOWN = "SELECT update_id FROM inbox WHERE update_id IN (SELECT json_extract(value, '$.update_id') FROM json_each(?))"
_KEEP = (
    "INSERT OR IGNORE INTO inbox (update_id, received_at, body)"
    " SELECT json_extract(value, '$.update_id'), ?, value FROM json_each(?)"
    " WHERE json_type(value, '$.update_id') = 'integer'"
)


class Inbox:
    def __init__(self, data_dir: Path) -> None:
        self._database = Database(data_dir, "inbox")
        """A connection of its own: receiving must not wait behind a report read on the bot's database."""

    async def open(self) -> None:
        await self._database.open()

    async def close(self) -> None:
        await self._database.close()

    async def receive(self, updates: list[dict[str, Any]]) -> set[int]:
        """Keep the new updates; return the update_ids that were received before (not to be handled again).

        If the database cannot take them in time, they are handled anyway, without the guarantee.
        """
        if not updates:
            return set()
        batch = json.dumps(updates)  # ASCII: a lone surrogate in a text stays an escape, not an error
        try:
            return await asyncio.wait_for(self._keep(batch, utc_iso(datetime.now(UTC))), WRITE_WAIT)
        except (TimeoutError, aiosqlite.Error, OSError, ValueError) as exc:
            log.error(
                "inbox: cannot keep %d updates (%s); they are answered without a crash guarantee",
                len(updates),
                type(exc).__name__,
            )
            return set()

    async def _keep(self, batch: str, now: str) -> set[int]:
        async with self._database.transaction() as connection:
            async with connection.execute(_KNOWN, (batch,)) as cursor:
                known = {update_id for (update_id,) in await cursor.fetchall()}
            await connection.execute(_KEEP, (now, batch))
        return known

    async def unhandled(self) -> list[dict[str, Any]]:
        """Updates received but not handled before the last stop, oldest first."""
        query = "SELECT body FROM inbox WHERE body IS NOT NULL ORDER BY update_id"
        async with self._database.reading() as connection, connection.execute(query) as cursor:
            return [json.loads(body) for (body,) in await cursor.fetchall()]

    async def purge(self) -> int:
        """Forget handled update_ids older than KEEP_HANDLED."""
        now = datetime.now(UTC)
        async with self._database.transaction() as connection:
            cursor = await connection.execute(
                "DELETE FROM inbox WHERE body IS NULL AND received_at < ?", (utc_iso(now - KEEP_HANDLED),)
            )
        return cursor.rowcount
