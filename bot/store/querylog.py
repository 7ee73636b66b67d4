"""The query log: every question, with what the bot did and what people thought of it.

Answering never waits for it: records go into a queue that one task writes in batches, each batch
as one JSON parameter of one statement, so SQLite's thread inserts it without handing the GIL
back and forth per row (that ping-pong slowed answering far more than the inserts themselves).
If the database is locked, full or broken, the batch is kept and retried, the failure is logged,
and on shutdown whatever could not be written is saved to a file that the next start imports.
The marks of handled updates (bot.store.inbox) go in the same batches: a question's log row and
the end of its update's stay in the inbox are written together or not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, fields
from datetime import datetime

import aiosqlite

from bot.knowledge import Call
from bot.store import report as reports
from bot.store.database import Database, DatabaseError
from bot.store.inbox import MARK_HANDLED
from bot.store.report import Period, Report
from bot.store.times import utc_iso

log = logging.getLogger(__name__)
PENDING_FILE = "pending-log.jsonl"
BATCH = 5000
BATCH_WINDOW = 0.25
"""Seconds a burst may gather before it is written: one commit per batch, not per message.
Whatever waits in it is written at shutdown. A hard kill loses nothing (the inbox handles those
updates again) but answers the updates of the last window twice: hence a short one (1 s: ~20 of
50 replies at 30/s in tests/test_crash.py, 0.25 s: ~2)."""
RETRY_SECONDS = (0.5, 1, 2, 5, 10, 30)
CLOSE_TIMEOUT = 5.0
"""How long shutdown waits for the log to be written before it saves the rest to a file."""


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
    also_entry: str | None = None
    """The entry of a second answer in the same reply (records queued before it existed have none)."""


@dataclass(frozen=True)
class EventRecord:
    question_ref: str
    at: str
    kind: str
    entry: str


@dataclass(frozen=True)
class Handled:
    """An update the bot has handled: its inbox body is cleared together with its log rows."""

    update_id: int


@dataclass(frozen=True)
class CheckRecord:
    """A result reached in the eligibility check: only the day and the result are kept, as a count."""

    day: str
    result: str


RECORD_KINDS: dict[str, type] = {
    "question": QuestionRecord,
    "event": EventRecord,
    "check": CheckRecord,
    "handled": Handled,
}
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
    " WHERE EXISTS (SELECT 1 FROM questions WHERE ref = json_extract(value, '$.question_ref'))"
    # one vote per answer: a later 👍/👎 on the same answer replaces the earlier one
    " ON CONFLICT (question_ref, entry) WHERE kind IN ('up', 'down')"
    " DO UPDATE SET kind = excluded.kind, at = excluded.at",
)

_COUNT_CHECKS = (
    "INSERT INTO check_results (day, result, count)"
    " SELECT json_extract(value, '$.day'), json_extract(value, '$.result'), 1 FROM json_each(?) WHERE true"
    " ON CONFLICT (day, result) DO UPDATE SET count = count + 1"
)
Record = QuestionRecord | EventRecord | CheckRecord | Handled


class QueryLog:
    """The query-log store on the bot's database: queued writes, reads for reports and for Art. 15/17."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.data_dir = database.data_dir
        self._queue: asyncio.Queue[Record] = asyncio.Queue()
        self._writer: asyncio.Task | None = None
        self._inflight: list[Record] = []
        self._write_now = asyncio.Event()
        """Set by `flush`: someone waits for the log, so the batch goes out without its window."""
        self.failures = 0

    async def open(self) -> None:
        await self.database.open()
        await self._import_pending()
        self._writer = asyncio.create_task(self._write_forever(), name="query-log-writer")

    def add(self, record: Record) -> None:
        """Never blocks and never raises: the answer goes out whatever happens to the log."""
        self._queue.put_nowait(record)

    async def flush(self) -> None:
        """Wait until everything queued so far is written (or being retried)."""
        self._write_now.set()
        await self._queue.join()

    async def close(self) -> None:
        """Write what is queued (or keep it in a file); the database itself is closed by its owner."""
        if self._writer:
            try:
                await asyncio.wait_for(self.flush(), timeout=CLOSE_TIMEOUT)
            except TimeoutError:
                log.error("query log: could not write %d records before shutdown", self._queue.qsize())
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)
        self._save_pending()

    async def questions_of(self, user_key: str) -> list[tuple[str, str, str]]:
        """(time, text, what they did with the answer) of every logged question of one person, for
        Art. 15 access: their 👍/👎 and choices in "Meinten Sie …?" are theirs too ("up,choice"); with
        two answers a vote names the answer it was for ("up:1,down:2")."""
        await self.flush()
        query = (
            "SELECT q.asked_at, q.text, coalesce((SELECT group_concat(DISTINCT e.kind || CASE"
            " WHEN q.also_entry IS NULL OR e.kind = 'choice' THEN '' WHEN e.entry = q.also_entry THEN ':2' ELSE ':1'"
            " END) FROM events e WHERE e.question_ref = q.ref), '') FROM questions q WHERE q.user_key = ?"
            " ORDER BY q.asked_at"
        )
        async with self.database.reading() as connection, connection.execute(query, (user_key,)) as cursor:
            return list(await cursor.fetchall())

    async def forget(self, user_key: str) -> tuple[int, int]:
        """Delete one person's questions and what they did with the answers (Art. 17)."""
        await self.flush()
        async with self.database.transaction() as connection:
            events = await connection.execute(
                "DELETE FROM events WHERE question_ref IN (SELECT ref FROM questions WHERE user_key = ?)", (user_key,)
            )
            questions = await connection.execute("DELETE FROM questions WHERE user_key = ?", (user_key,))
        async with self.database.reading() as connection:
            # the WAL still holds the pages as they were before: copy back and truncate it now
            await connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return questions.rowcount, events.rowcount

    async def purge(self, older_than: datetime) -> int:
        """Delete questions (and their events) asked before `older_than`; returns how many."""
        async with self.database.transaction() as connection:
            cursor = await connection.execute("DELETE FROM questions WHERE asked_at < ?", (utc_iso(older_than),))
        return cursor.rowcount

    async def outcome_counts(self, call: Call, period: Period) -> dict[str, int]:
        """Questions per outcome in the period, everything queued so far included."""
        await self.flush()
        async with self.database.reading() as connection:
            return await reports.outcome_counts(connection, call, period)

    async def report(self, call: Call, period: Period, now: datetime) -> Report:
        """The operators' report over the period, everything queued so far included."""
        await self.flush()
        async with self.database.reading() as connection:
            return await reports.build_report(connection, call, period, now)

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
        handled = [r.update_id for r in batch if isinstance(r, Handled)]
        checks = [vars(r) for r in batch if isinstance(r, CheckRecord)]
        async with self.database.transaction() as connection:
            if questions:
                await connection.execute(_INSERT_QUESTIONS, (json.dumps(questions),))
            if events:
                await connection.execute(_INSERT_EVENTS, (json.dumps(events),))
            if handled:
                await connection.execute(MARK_HANDLED, (json.dumps(handled),))
            if checks:
                await connection.execute(_COUNT_CHECKS, (json.dumps(checks),))

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
