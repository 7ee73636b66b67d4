"""The query log: every question, with what the bot did and what people thought of it.

Answering never waits for it: records go into a queue that one task writes in batches, each batch
as one JSON parameter of one statement, so SQLite's thread inserts it without handing the GIL
back and forth per row (that ping-pong slowed answering far more than the inserts themselves).
If the database is locked, full or broken, the batch is kept and retried, the failure is logged,
and on shutdown whatever could not be written is saved to a file that the next start imports.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite

from bot.store.database import DatabaseError, connect, database_path

log = logging.getLogger(__name__)
PENDING_FILE = "pending-log.jsonl"
BATCH = 5000
BATCH_WINDOW = 1.0
"""Seconds a burst may gather before it is written: one commit per batch, not per message.
Whatever waits in it is written at shutdown; only a hard kill loses it."""
RETRY_SECONDS = (0.5, 1, 2, 5, 10, 30)
CLOSE_TIMEOUT = 5.0
"""How long shutdown waits for the log to be written before it saves the rest to a file."""


def new_ref() -> str:
    """A question's handle in button data: random, so it reveals nothing and cannot be guessed."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class QuestionRecord:
    ref: str
    asked_at: str
    user_key: str
    chat_type: str
    language: str | None
    text: str
    outcome: str
    entry: str | None
    score: float
    candidates: str
    kb_version: str


@dataclass(frozen=True)
class EventRecord:
    question_ref: str
    at: str
    kind: str
    entry: str


@dataclass(frozen=True)
class CheckRecord:
    """A result reached in the eligibility check: only the day and the result are kept, as a count."""

    day: str
    result: str


RECORD_KINDS: dict[str, type] = {"question": QuestionRecord, "event": EventRecord, "check": CheckRecord}
"""How records are named in the pending file."""


def _insert_from_json(verb: str, table: str, record: type, condition: str = "") -> str:
    """INSERT … SELECT over `json_each(?)`: a whole batch in one parameter, one statement."""
    columns = [field.name for field in fields(record)]
    values = ", ".join(f"json_extract(value, '$.{column}')" for column in columns)
    return f"{verb} INTO {table} ({', '.join(columns)}) SELECT {values} FROM json_each(?){condition}"


_INSERT_QUESTIONS = _insert_from_json("INSERT OR IGNORE", "questions", QuestionRecord)
_INSERT_EVENTS = _insert_from_json(
    "INSERT",
    "events",
    EventRecord,
    " WHERE EXISTS (SELECT 1 FROM questions WHERE ref = json_extract(value, '$.question_ref'))",
)

_COUNT_CHECKS = (
    "INSERT INTO check_results (day, result, count)"
    " SELECT json_extract(value, '$.day'), json_extract(value, '$.result'), 1 FROM json_each(?) WHERE true"
    " ON CONFLICT (day, result) DO UPDATE SET count = count + 1"
)
Record = QuestionRecord | EventRecord | CheckRecord


class QueryLog:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._queue: asyncio.Queue[Record] = asyncio.Queue()
        self._writer: asyncio.Task | None = None
        self._connection: aiosqlite.Connection | None = None
        self._inflight: list[Record] = []
        self._lock = asyncio.Lock()
        """One transaction at a time on the shared connection (writer, purge)."""
        self._write_now = asyncio.Event()
        """Set by `flush`: someone waits for the log, so the batch goes out without its window."""
        self.failures = 0

    async def open(self) -> None:
        await self._connect()
        await self._import_pending()
        self._writer = asyncio.create_task(self._write_forever(), name="query-log-writer")

    async def _connect(self) -> None:
        self._connection = await connect(self.data_dir)
        self._inode = database_path(self.data_dir).stat().st_ino

    async def _reconnect_if_gone(self) -> None:
        """A deleted or replaced database file: open (and migrate) a new one instead of writing into the void."""
        path = database_path(self.data_dir)
        if path.exists() and path.stat().st_ino == self._inode:
            return
        log.error("query log: the database %s disappeared; starting a new one", path)
        await self._connection.close()
        await self._connect()

    @property
    def connection(self) -> aiosqlite.Connection:
        """For reading reports in the running bot."""
        return self._connection

    def add(self, record: Record) -> None:
        """Never blocks and never raises: the answer goes out whatever happens to the log."""
        self._queue.put_nowait(record)

    async def flush(self) -> None:
        """Wait until everything queued so far is written (or being retried)."""
        self._write_now.set()
        await self._queue.join()

    async def close(self) -> None:
        if self._writer:
            try:
                await asyncio.wait_for(self.flush(), timeout=CLOSE_TIMEOUT)
            except TimeoutError:
                log.error("query log: could not write %d records before shutdown", self._queue.qsize())
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._save_pending()
        if self._connection:
            await self._connection.close()

    async def questions_of(self, user_key: str) -> list[tuple[str, str]]:
        """(time, text) of every logged question of one person, for Art. 15 access."""
        await self.flush()
        query = "SELECT asked_at, text FROM questions WHERE user_key = ? ORDER BY asked_at"
        async with self._connection.execute(query, (user_key,)) as cursor:
            return list(await cursor.fetchall())

    async def forget(self, user_key: str) -> tuple[int, int]:
        """Delete one person's questions and what they did with the answers (Art. 17)."""
        await self.flush()
        async with self._lock:
            events = await self._connection.execute(
                "DELETE FROM events WHERE question_ref IN (SELECT ref FROM questions WHERE user_key = ?)", (user_key,)
            )
            questions = await self._connection.execute("DELETE FROM questions WHERE user_key = ?", (user_key,))
            await self._connection.commit()
        return questions.rowcount, events.rowcount

    async def purge(self, older_than: datetime) -> int:
        """Delete questions (and their events) asked before `older_than`; returns how many."""
        async with self._lock:
            cursor = await self._connection.execute(
                "DELETE FROM questions WHERE asked_at < ?", (older_than.isoformat(),)
            )
            await self._connection.commit()
        return cursor.rowcount

    async def _write_forever(self) -> None:
        while True:
            self._inflight = [await self._queue.get()]
            if self._queue.qsize() < BATCH - 1:  # a backlog is written at once, batch after batch
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._write_now.wait(), BATCH_WINDOW)
            self._write_now.clear()
            while len(self._inflight) < BATCH and not self._queue.empty():
                self._inflight.append(self._queue.get_nowait())
            await self._write_with_retries(self._inflight)
            for _ in self._inflight:
                self._queue.task_done()
            self._inflight = []

    async def _write_with_retries(self, batch: list[Record]) -> None:
        for attempt in range(1_000_000):
            try:
                await self._write(batch)
            except (aiosqlite.Error, OSError, DatabaseError) as exc:
                self.failures += 1
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                log.error("query log: cannot write %d records (%s); retrying in %ss", len(batch), exc, delay)
                await asyncio.sleep(delay)
            else:
                if attempt:
                    log.warning("query log: writing works again after %d failed attempts", attempt)
                return

    async def _write(self, batch: list[Record]) -> None:
        questions = [vars(r) for r in batch if isinstance(r, QuestionRecord)]
        events = [vars(r) for r in batch if isinstance(r, EventRecord)]
        checks = [vars(r) for r in batch if isinstance(r, CheckRecord)]
        async with self._lock:
            await self._reconnect_if_gone()
            try:
                if questions:
                    await self._connection.execute(_INSERT_QUESTIONS, (json.dumps(questions),))
                if events:
                    await self._connection.execute(_INSERT_EVENTS, (json.dumps(events),))
                if checks:
                    await self._connection.execute(_COUNT_CHECKS, (json.dumps(checks),))
                await self._connection.commit()
            except BaseException:
                await self._connection.rollback()
                raise

    def _save_pending(self) -> None:
        """Keep what could not be written, to be imported at the next start."""
        left = list(self._inflight)
        while not self._queue.empty():
            left.append(self._queue.get_nowait())
        if not left:
            return
        path = self.data_dir / PENDING_FILE
        with path.open("a", encoding="utf-8") as file:
            for record in left:
                kind = next(name for name, cls in RECORD_KINDS.items() if isinstance(record, cls))
                file.write(json.dumps({"kind": kind, **vars(record)}, ensure_ascii=False) + "\n")
        log.error("query log: kept %d unwritten records in %s for the next start", len(left), path)

    async def _import_pending(self) -> None:
        path = self.data_dir / PENDING_FILE
        if not path.exists():
            return
        records: list[Record] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            data = json.loads(line)
            kind = data.pop("kind")
            records.append(RECORD_KINDS[kind](**data))
        await self._write(records)
        path.unlink()
        log.info("query log: imported %d records kept from an earlier run", len(records))


def retention_cutoff(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
