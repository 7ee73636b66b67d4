"""The query log on its own: schema and migrations, retention, failures, clustering."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fake_telegram import eventually

from bot.store.clusters import Unanswered, cluster, word_gaps
from bot.store.database import MIGRATIONS, SCHEMA_VERSION, Database, DatabaseError, connect, database_path
from bot.store.pseudonym import Pseudonymizer, load_secret
from bot.store.querylog import PENDING_FILE, CheckRecord, EventRecord, QueryLog, QuestionRecord


def record(text: str = "Frist?", outcome: str = "answer", at: datetime | None = None, ref: str | None = None):
    at = at or datetime(2017, 1, 20, 9, tzinfo=UTC)
    return QuestionRecord(
        ref=ref or secrets.token_hex(6),
        asked_at=at.isoformat(timespec="seconds"),
        user_key="k" * 32,
        chat_type="private",
        language="de",
        text=text,
        outcome=outcome,
        entry="frist-bewerbungsschluss" if outcome == "answer" else None,
        score=90.0,
        candidates=json.dumps([{"entry": "frist-bewerbungsschluss", "score": 90.0}]),
        kb_version="abc",
    )


def rows(data_dir, sql: str) -> list[tuple]:
    with sqlite3.connect(database_path(data_dir)) as connection:
        return connection.execute(sql).fetchall()


def rename_table(data_dir, old: str, new: str) -> None:
    with sqlite3.connect(database_path(data_dir)) as connection:
        connection.execute(f"ALTER TABLE {old} RENAME TO {new}")


async def test_new_database_is_wal_owner_only_and_current(tmp_path):
    connection = await connect(tmp_path / "data")
    await connection.close()
    path = database_path(tmp_path / "data")
    assert oct(path.stat().st_mode)[-3:] == "600"
    assert oct((tmp_path / "data").stat().st_mode)[-3:] == "700"
    assert rows(tmp_path / "data", "PRAGMA journal_mode") == [("wal",)]
    assert rows(tmp_path / "data", "PRAGMA user_version") == [(SCHEMA_VERSION,)]


async def test_older_database_is_migrated_without_loss(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(database_path(data)) as old:  # what version 1 of the bot wrote
        old.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
        old.execute(
            "INSERT INTO questions (ref, asked_at, user_key, chat_type, text, outcome, score, candidates, kb_version)"
            " VALUES ('aaaaaaaaaaaa', '2017-01-01T10:00:00+00:00', 'k', 'private', 'Alt?', 'fallback', 10, '[]', 'v1')"
        )
    log = QueryLog(Database(data))
    await log.open()
    log.add(EventRecord("aaaaaaaaaaaa", "2017-01-02T10:00:00+00:00", "down", "frist-status"))
    await log.close()
    await log.database.close()
    assert rows(data, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(data, "SELECT text FROM questions") == [("Alt?",)]
    assert rows(data, "SELECT kind FROM events") == [("down",)]


async def test_a_batch_keeps_every_field_exactly(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.store.querylog.BATCH_WINDOW", 30)  # flush must not wait for the window
    log = QueryLog(Database(tmp_path))
    await log.open()
    odd = record('Zuschuss "50 %" für Ärzte? 🙂 \\ \n zweite Zeile', outcome="fallback")
    odd = QuestionRecord(**{**vars(odd), "language": None, "score": 0})
    plain = record("Frist?")
    log.add(odd)
    log.add(plain)
    log.add(EventRecord(plain.ref, plain.asked_at, "up", "frist-bewerbungsschluss"))
    log.add(EventRecord("nicht-geloggt", plain.asked_at, "down", "frist-bewerbungsschluss"))
    await asyncio.wait_for(log.flush(), timeout=5)
    await log.close()
    await log.database.close()
    stored = rows(tmp_path, "SELECT * FROM questions ORDER BY id")
    assert [row[1:] for row in stored] == [tuple(vars(odd).values()), tuple(vars(plain).values())]
    assert rows(tmp_path, "SELECT typeof(score), typeof(language) FROM questions ORDER BY id")[0] == ("real", "null")
    assert rows(tmp_path, "SELECT question_ref, kind FROM events") == [(plain.ref, "up")]


async def test_a_backlog_is_written_without_waiting_for_the_window(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.store.querylog.BATCH", 10)
    monkeypatch.setattr("bot.store.querylog.BATCH_WINDOW", 30)
    log = QueryLog(Database(tmp_path))
    await log.open()
    for n in range(25):
        log.add(record(f"Frage {n}"))
    # two full batches go at once (well within the 30 s window); the last five wait for their window
    await eventually(lambda: rows(tmp_path, "SELECT count(*) FROM questions") == [(20,)], "two batches written", 10)
    assert rows(tmp_path, "SELECT count(*) FROM questions") == [(20,)]
    await log.close()
    await log.database.close()
    assert rows(tmp_path, "SELECT count(*) FROM questions") == [(25,)]


async def test_database_from_a_newer_bot_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(database_path(data)) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseError, match="neuere Version"):
        await connect(data)


async def test_retention_deletes_old_questions_and_their_events(tmp_path):
    log = QueryLog(Database(tmp_path))
    await log.open()
    now = datetime(2017, 6, 1, tzinfo=UTC)
    old, fresh = record(at=now - timedelta(days=200)), record(at=now - timedelta(days=10))
    log.add(old)
    log.add(fresh)
    log.add(EventRecord(old.ref, old.asked_at, "up", "frist-status"))
    await log.flush()
    assert await log.purge(now - timedelta(days=180)) == 1
    await log.close()
    await log.database.close()
    assert rows(tmp_path, "SELECT ref FROM questions") == [(fresh.ref,)]
    assert rows(tmp_path, "SELECT count(*) FROM events") == [(0,)]


async def test_retention_compares_moments_not_their_text_in_another_time_zone(tmp_path):
    log = QueryLog(Database(tmp_path))
    await log.open()
    asked = record(at=datetime(2017, 1, 20, 9, 30, tzinfo=UTC))  # 10:30 in Berlin
    log.add(asked)
    await log.flush()
    berlin = ZoneInfo("Europe/Berlin")
    assert await log.purge(datetime(2017, 1, 20, 10, 0, tzinfo=berlin)) == 0  # 09:00 UTC: asked after it
    assert await log.purge(datetime(2017, 1, 20, 11, 0, tzinfo=berlin)) == 1
    await log.close()
    await log.database.close()


async def test_a_broken_database_keeps_records_and_retries(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("bot.store.querylog.RETRY_SECONDS", (0.05,))
    monkeypatch.setattr("bot.store.querylog.BATCH_WINDOW", 0.05)
    log = QueryLog(Database(tmp_path))
    await log.open()
    rename_table(tmp_path, "questions", "broken")  # the log's table is gone: every write fails
    log.add(record("während der Störung"))
    await eventually(lambda: log.failures >= 1, "the log tried to write")
    assert log.failures >= 1 and "cannot write" in caplog.text
    rename_table(tmp_path, "broken", "questions")
    await asyncio.wait_for(log.flush(), timeout=5)
    await log.close()
    await log.database.close()
    assert rows(tmp_path, "SELECT text FROM questions") == [("während der Störung",)]


async def test_unwritten_records_survive_a_shutdown(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.store.querylog.RETRY_SECONDS", (0.05,))
    log = QueryLog(Database(tmp_path))
    await log.open()
    rename_table(tmp_path, "questions", "broken")  # the log's table is gone: every write fails
    log.add(record("gerettet"))
    log.add(CheckRecord("2017-01-20", "privatperson"))
    await eventually(lambda: log.failures >= 1, "the log tried to write")
    monkeypatch.setattr("bot.store.querylog.CLOSE_TIMEOUT", 0.01)
    await log.close()
    await log.database.close()
    assert (tmp_path / PENDING_FILE).exists()
    rename_table(tmp_path, "broken", "questions")
    monkeypatch.undo()
    again = QueryLog(Database(tmp_path))
    await again.open()  # imports what was kept
    await again.close()
    await again.database.close()
    assert rows(tmp_path, "SELECT text FROM questions") == [("gerettet",)]
    assert rows(tmp_path, "SELECT day, result, count FROM check_results") == [("2017-01-20", "privatperson", 1)]
    assert not (tmp_path / PENDING_FILE).exists()


def test_secret_is_generated_once_owner_only_and_keys_are_stable(tmp_path):
    first = load_secret(tmp_path, None)
    assert load_secret(tmp_path, None) == first
    assert oct((tmp_path / "secret").stat().st_mode)[-3:] == "600"
    keys = Pseudonymizer(first)
    assert keys.key(12345) == keys.key(12345) != keys.key(12346)
    assert "12345" not in keys.key(12345)
    assert Pseudonymizer(b"other").key(12345) != keys.key(12345)
    assert load_secret(tmp_path, "from-env") == b"from-env"


def test_clusters_group_similar_wording_most_frequent_first():
    questions = [
        Unanswered("Gibt es Förderung für Wärmepumpen?", None),
        Unanswered("gibt es foerderung fuer waermepumpen", None),
        Unanswered("Gibt es eine Förderung für Wärmepumpen?", "foerderquote"),
        Unanswered("Wie ist das Wetter?", None),
        Unanswered("Wie ist das Wetter heute?", None),
        Unanswered("Wann fährt der Bus?", None, weight=1.5),
    ]
    found = cluster(questions)
    assert [c.count for c in found] == [3, 2, 1]
    assert found[0].closest_entry == "foerderquote"
    assert len(found[0].examples) == 2  # the two spellings of one wording give one example
    assert found[2].weight == 1.5


def test_replaced_personal_data_does_not_split_a_group():
    """ "Ich heiße [Name], …" scored 82 against the same question without it, under the 85 to group."""
    found = cluster(
        [
            Unanswered("Kann ich die Skizze per Fax schicken?", None),
            Unanswered("Ich heiße [Name], kann ich die Skizze per Fax schicken?", None),
            Unanswered("Bitte rufen Sie mich zurück wegen der Frist", None),
            Unanswered("Meine Nummer ist [Telefon], bitte rufen Sie mich zurück wegen der Frist", None),
        ]
    )
    assert [c.count for c in found] == [2, 2]


def test_word_gaps_count_a_word_once_whatever_its_form():
    """Singular, plural and a lower-case or umlaut-less spelling are one gap for staff, shown as
    written most often; a text asked twice counts twice but is one example."""
    texts = ["Gibt es Vordrucke?", "Gibt es Vordrucke?", "Wo ist der Vordruck?", "vordrucke her", "Wärmepumpen?"]
    gaps = word_gaps(texts, lambda text: [w for w in re.findall(r"\w+", text) if w.lower().startswith(("vord", "wär"))])
    assert [(g.word, g.count) for g in gaps] == [("Vordrucke", 4), ("Wärmepumpen", 1)]
    assert gaps[0].examples == ["Gibt es Vordrucke?", "Wo ist der Vordruck?", "vordrucke her"]


def test_urgent_questions_rank_above_more_frequent_old_ones():
    found = cluster([Unanswered("Bus?", None, 1.0)] * 3 + [Unanswered("Frist Kita?", None, 1.9)] * 2)
    assert found[0].examples == ["Frist Kita?"]


async def test_migration_keeps_the_last_of_several_votes_per_question(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(database_path(data)) as old:  # version 5 stored every replayed 👍
        old.executescript("".join(MIGRATIONS[:5]) + "PRAGMA user_version = 5;")
        old.execute(
            "INSERT INTO questions (ref, asked_at, user_key, chat_type, text, outcome, score, candidates, kb_version)"
            " VALUES ('aaaaaaaaaaaa', '2017-01-01T10:00:00+00:00', 'k', 'private', 'Frist?', 'answer', 90, '[]', 'v1')"
        )
        for kind in ("up", "up", "up", "down"):
            old.execute(
                "INSERT INTO events (question_ref, at, kind, entry) VALUES ('aaaaaaaaaaaa', '2017-01-01', ?, 'f')",
                (kind,),
            )
    connection = await connect(data)
    await connection.close()
    assert rows(data, "SELECT kind FROM events") == [("down",)]


async def test_migration_to_one_vote_per_answer_keeps_the_votes(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(database_path(data)) as old:  # version 7: one vote per question
        old.executescript("".join(MIGRATIONS[:7]) + "PRAGMA user_version = 7;")
        old.execute(
            "INSERT INTO questions (ref, asked_at, user_key, chat_type, text, outcome, score, candidates, kb_version)"
            " VALUES ('aaaaaaaaaaaa', '2017-01-01T10:00:00+00:00', 'k', 'private', 'Frist?', 'answer', 90, '[]', 'v1')"
        )
        old.execute(
            "INSERT INTO events (question_ref, at, kind, entry) VALUES ('aaaaaaaaaaaa', '2017-01-01', 'up', 'f')"
        )
    connection = await connect(data)
    await connection.close()
    assert rows(data, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    with sqlite3.connect(database_path(data)) as new:
        new.execute(
            "INSERT INTO events (question_ref, at, kind, entry) VALUES ('aaaaaaaaaaaa', '2017-01-02', 'down', 'g')"
        )
        with pytest.raises(sqlite3.IntegrityError):  # the same answer still has one vote
            new.execute(
                "INSERT INTO events (question_ref, at, kind, entry) VALUES ('aaaaaaaaaaaa', '2017-01-02', 'down', 'f')"
            )
    assert sorted(rows(data, "SELECT entry, kind FROM events")) == [("f", "up"), ("g", "down")]


async def test_migration_gives_earlier_questions_no_second_answer(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with sqlite3.connect(database_path(data)) as old:  # version 8: only the first answer's entry
        old.executescript("".join(MIGRATIONS[:8]) + "PRAGMA user_version = 8;")
        old.execute(
            "INSERT INTO questions (ref, asked_at, user_key, chat_type, text, outcome, entry, score, candidates,"
            " kb_version) VALUES ('aaaaaaaaaaaa', '2017-01-01T10:00:00+00:00', 'k', 'private', 'Frist?', 'answer',"
            " 'f', 90, '[]', 'v1')"
        )
    connection = await connect(data)
    await connection.close()
    assert rows(data, "SELECT entry, also_entry FROM questions") == [("f", None)]
