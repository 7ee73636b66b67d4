"""Open the bot's SQLite database: WAL, a busy timeout, and forward migrations at start."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)
DATABASE_FILE = "foerderbot.sqlite3"
BUSY_TIMEOUT_MS = 5000

# Each step moves the schema one version forward; never edit a step once released.
MIGRATIONS: tuple[str, ...] = (
    # 1: the query log
    """
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY,
        ref TEXT NOT NULL UNIQUE,
        asked_at TEXT NOT NULL,
        user_key TEXT NOT NULL,
        chat_type TEXT NOT NULL,
        language TEXT,
        text TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('answer', 'clarify', 'fallback')),
        entry TEXT,
        score REAL NOT NULL,
        candidates TEXT NOT NULL,
        kb_version TEXT NOT NULL
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE INDEX questions_user_key ON questions (user_key);
    """,
    # 2: what people did with an answer: a choice in "Meinten Sie …?", 👍 or 👎
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        question_ref TEXT NOT NULL REFERENCES questions (ref) ON DELETE CASCADE,
        at TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('choice', 'up', 'down')),
        entry TEXT NOT NULL
    );
    CREATE INDEX events_question_ref ON events (question_ref);
    """,
    # 3: deadline reminders – who subscribed, and a ledger with one row per (chat, deadline, offset)
    """
    CREATE TABLE subscriptions (
        chat_id INTEGER PRIMARY KEY,
        subscribed_at TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        ended_reason TEXT
    );
    CREATE TABLE reminders (
        chat_id INTEGER NOT NULL,
        deadline TEXT NOT NULL,
        days_before INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'skipped')),
        at TEXT NOT NULL,
        detail TEXT,
        PRIMARY KEY (chat_id, deadline, days_before)
    );
    """,
    # 4: results reached in the eligibility check, counted per day of the call's time zone – no person
    """
    CREATE TABLE check_results (
        day TEXT NOT NULL,
        result TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, result)
    );
    """,
    # 5: the durable inbox – every update before it is confirmed to Telegram; body cleared once handled
    """
    CREATE TABLE inbox (
        update_id INTEGER PRIMARY KEY,
        received_at TEXT NOT NULL,
        body TEXT
    );
    CREATE INDEX inbox_unhandled ON inbox (update_id) WHERE body IS NOT NULL;
    """,
    # 6: one vote per question – the last one counts (earlier duplicates: the latest is kept)
    """
    DELETE FROM events WHERE kind IN ('up', 'down') AND id NOT IN
        (SELECT max(id) FROM events WHERE kind IN ('up', 'down') GROUP BY question_ref);
    CREATE UNIQUE INDEX events_one_vote ON events (question_ref) WHERE kind IN ('up', 'down');
    """,
    # 7: an ended subscription keeps no chat id (rows earlier versions left with active = 0 go)
    """
    DELETE FROM reminders WHERE chat_id IN (SELECT chat_id FROM subscriptions WHERE active = 0);
    DELETE FROM subscriptions WHERE active = 0;
    """,
    # 8: one vote per answer – a message with two answers has a 👍/👎 for each
    """
    DROP INDEX events_one_vote;
    CREATE UNIQUE INDEX events_one_vote_per_answer ON events (question_ref, entry) WHERE kind IN ('up', 'down');
    """,
    # 9: the entry of a second answer in the same reply ("Wer darf sich bewerben und bis wann?")
    """
    ALTER TABLE questions ADD COLUMN also_entry TEXT;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseError(Exception):
    """The database cannot be used by this version of the bot; the message says why."""


def database_path(data_dir: Path) -> Path:
    return Path(data_dir) / DATABASE_FILE


def prepare_data_dir(data_dir: Path) -> Path:
    """The data folder, created readable by the owner only."""
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(data_dir, 0o700)
    return data_dir


def check_writable(data_dir: Path) -> None:
    """At start, before anything runs: a folder or database the bot cannot write is one clear line."""
    path = database_path(data_dir)
    try:
        path = database_path(prepare_data_dir(data_dir))
        with contextlib.closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
            connection.execute("BEGIN IMMEDIATE")  # takes the write lock: fails on a read-only file
            connection.execute("ROLLBACK")
        os.chmod(path, 0o600)
    except sqlite3.Error as exc:
        raise _unusable(path, exc) from None
    except OSError as exc:
        raise DatabaseError(
            f"Datenordner {data_dir} ist nicht beschreibbar ({exc}): FOERDERBOT_DATA_DIR prüfen"
        ) from None


# SQLite's reasons, in words operators can act on.
_SQLITE_REASONS = {
    "file is not a database": "ist keine SQLite-Datenbank oder beschädigt: Sicherung einspielen",
    "database disk image is malformed": "ist beschädigt: Sicherung einspielen",
    "unable to open database file": "kann nicht geöffnet werden: Rechte des Datenordners prüfen",
    "attempt to write a readonly database": "ist schreibgeschützt: Rechte des Datenordners prüfen",
}


def _unusable(path: Path, exc: sqlite3.Error) -> DatabaseError:
    text = str(exc)
    reason = next((why for needle, why in _SQLITE_REASONS.items() if needle in text), f"ist nicht nutzbar ({text})")
    return DatabaseError(f"Datenbank {path} {reason}")


async def connect(data_dir: Path, *, create: bool = True) -> aiosqlite.Connection:
    """An open, migrated connection; refuses a database written by a newer bot.

    create=False (reports) leaves the folder and its permissions as they are.
    """
    path = database_path(prepare_data_dir(data_dir) if create else data_dir)
    try:
        return await _open(path)
    except sqlite3.Error as exc:
        raise _unusable(path, exc) from exc


async def _open(path: Path) -> aiosqlite.Connection:
    new = not path.exists()
    connection = await aiosqlite.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if new:
            os.chmod(path, 0o600)
        await connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await connection.execute("PRAGMA journal_mode = WAL")
        # WAL with NORMAL stays consistent after a crash; only a power cut may lose the last batch.
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.execute("PRAGMA foreign_keys = ON")
        # deleted rows are overwritten with zeros, not just unlinked (DSGVO Art. 17: gone is gone)
        await connection.execute("PRAGMA secure_delete = ON")
        await migrate(connection)
    except BaseException:
        await connection.close()
        raise
    return connection


async def migrate(connection: aiosqlite.Connection) -> int:
    """Apply the missing migrations in one transaction each; returns the version reached."""
    async with connection.execute("PRAGMA user_version") as cursor:
        (version,) = await cursor.fetchone()
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"Die Datenbank hat Schema-Version {version}, dieser Förderbot kennt nur bis {SCHEMA_VERSION}: "
            "bitte die neuere Version des Bots verwenden (die Datenbank bleibt unverändert)"
        )
    for number in range(version, SCHEMA_VERSION):
        await connection.executescript(f"BEGIN; {MIGRATIONS[number]} PRAGMA user_version = {number + 1}; COMMIT;")
    return SCHEMA_VERSION


class Database:
    """The bot's one SQLite connection, and the one lock its users take turns with.

    The query log and the reminder ledger are two stores on it: a transaction of one never
    commits or rolls back half of the other's. The connection follows its file: deleted or
    replaced while the bot runs, the next use opens (and migrates) a new one instead of writing
    on into a file nobody will ever read.
    """

    def __init__(self, data_dir: Path, purpose: str = "database", *, create: bool = True) -> None:
        """create=False (reports) leaves the folder and its permissions as they are."""
        self.data_dir = Path(data_dir)
        self.purpose = purpose
        self.create = create
        self._connection: aiosqlite.Connection | None = None
        self._inode = 0
        self._lock = asyncio.Lock()

    async def open(self) -> None:
        async with self._lock:
            await self._current()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for one unit of work: committed at the end, rolled back on any error."""
        async with self._lock:
            connection = await self._current()
            try:
                yield connection
                await connection.commit()
            except BaseException:
                await connection.rollback()
                raise

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection for reads, while no transaction is half done on it."""
        async with self._lock:
            yield await self._current()

    async def _current(self) -> aiosqlite.Connection:
        path = database_path(self.data_dir)
        if self._connection is not None:
            try:
                if path.stat().st_ino == self._inode:
                    return self._connection
            except FileNotFoundError:
                pass
            log.error("%s: the database %s disappeared; starting a new one", self.purpose, path)
            await self._connection.close()
            self._connection = None
        self._connection = await connect(self.data_dir, create=self.create)
        self._inode = path.stat().st_ino
        return self._connection

    async def close(self) -> None:
        async with self._lock:
            if self._connection is not None:
                await self._connection.close()
                self._connection = None
