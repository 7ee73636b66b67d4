"""Storage work a reply waits for: bounded, and one kind of failure for the front ends."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import aiosqlite

STORAGE_WAIT = 5.0
"""Seconds a reply may wait for the database before the user hears "gerade nicht möglich"."""
T = TypeVar("T")


class StorageUnavailable(Exception):
    """The database is full, locked, unwritable or too slow: a reply that needs it cannot be given now."""


async def stored(work: Awaitable[T]) -> T:
    """A broken database must not hold a chat (or shutdown)."""
    try:
        return await asyncio.wait_for(work, STORAGE_WAIT)
    except (TimeoutError, aiosqlite.Error, OSError) as exc:
        raise StorageUnavailable(type(exc).__name__) from exc
