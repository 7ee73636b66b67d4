"""Fault injection: Telegram failing or dropping connections, the database locked or gone."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fake_telegram import FakeBotApi, eventually
from test_reminders import SLOT, bot_at, ledger_rows, reminders_received, seed

from bot.store.database import Database, database_path
from bot.telegram import health
from bot.telegram.context import services


async def test_telegram_errors_and_dropped_connections_are_survived(telegram):
    telegram.faults["getUpdates"] = ["502", "drop", "500"]
    await telegram.send_text(901, "Frist?")
    (reply,) = await telegram.replies(901, timeout=30)
    assert "17. Februar 2017" in reply["text"]
    telegram.faults["sendMessage"] = ["502"]  # a failed reply is logged; the next question is answered
    await telegram.send_text(902, "Hallo")
    await telegram.send_text(902, "Hallo")
    assert (await telegram.replies(902, timeout=20))[0]["text"].startswith("Hallo!")


async def test_reminders_survive_server_errors_without_loss_or_duplicates(tmp_path):
    api = FakeBotApi()
    await api.start()
    subscribers = list(range(5000, 5006))
    await seed(tmp_path, subscribers)
    api.faults["sendMessage"] = ["500", "drop", "502"]
    try:
        async with bot_at(api, tmp_path, SLOT - timedelta(seconds=1), send_rate=20):
            await api.wait_until(lambda: len(reminders_received(api)) == len(subscribers), timeout=40)
            await api.wait_until(lambda: all(s == "sent" for *_, s in ledger_rows(tmp_path)), timeout=10)
    finally:
        await api.stop()
    assert Counter(reminders_received(api).values()) == {1: len(subscribers)}


async def test_a_locked_database_does_not_stop_answers_and_nothing_is_lost(telegram):
    core = services(telegram.application.bot_data)
    await telegram.send_text(903, "Frist?")  # the database exists and is in use
    await telegram.replies(903)
    await core.querylog.flush()
    locker = sqlite3.connect(database_path(telegram.data_dir), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:  # the answers must arrive while the database is still locked
        for n in range(3):
            await telegram.send_text(904, f"Wer darf sich bewerben? {n}")
        await telegram.replies(904, 3)
        await eventually(lambda: core.querylog.failures >= 1, "the query log tried to write and found it locked")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    await asyncio.wait_for(core.querylog.flush(), timeout=30)
    with sqlite3.connect(database_path(telegram.data_dir)) as connection:
        logged = connection.execute("SELECT count(*) FROM questions").fetchone()[0]
    assert logged == 4


async def test_a_vanished_database_is_recreated_and_logging_goes_on(telegram, caplog):
    core = services(telegram.application.bot_data)
    await telegram.send_text(905, "Frist?")
    await telegram.replies(905)
    await core.querylog.flush()
    path = database_path(telegram.data_dir)
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    await telegram.send_text(905, "Hallo")
    await telegram.replies(905, 2)
    await core.querylog.flush()
    assert "disappeared" in caplog.text
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT text FROM questions").fetchall() == [("Hallo",)]


async def test_a_reply_that_times_out_does_not_stop_the_bot(telegram, monkeypatch):
    telegram.faults["sendMessage"] = ["slow"]
    await telegram.send_text(906, "Frist?")  # this reply hangs past PTB's timeout
    await eventually(lambda: not telegram.faults["sendMessage"], "the reply to 906 reached the server and hangs")
    await telegram.send_text(907, "Hallo")  # meanwhile, and afterwards, others are answered
    assert (await telegram.replies(907, timeout=20))[0]["text"].startswith("Hallo!")


async def test_a_full_disk_delays_the_log_but_loses_nothing(tmp_path, monkeypatch):
    import aiosqlite
    from test_querylog import record

    from bot.store.querylog import QueryLog

    monkeypatch.setattr("bot.store.querylog.RETRY_SECONDS", (0.05,))
    log = QueryLog(Database(tmp_path))
    await log.open()
    original, failures = log._write, []

    async def full_then_fine(batch):
        if not failures:
            failures.append(1)
            raise aiosqlite.OperationalError("database or disk is full")
        await original(batch)

    monkeypatch.setattr(log, "_write", full_then_fine)
    log.add(record("während die Platte voll war"))
    await asyncio.wait_for(log.flush(), timeout=5)
    await log.close()
    await log.database.close()
    assert failures and log.failures == 1
    with sqlite3.connect(database_path(tmp_path)) as connection:
        assert connection.execute("SELECT text FROM questions").fetchall() == [("während die Platte voll war",)]


OLD_POLL = {  # as a Bot API server before 9.6 sends it: no persistent_id, which PTB 22.8 requires
    "id": "5001",
    "question": "Geheime Umfrage von Anna?",
    "options": [{"text": "ja", "voter_count": 0}],
    "total_voter_count": 0,
    "is_closed": False,
    "is_anonymous": True,
    "type": "regular",
    "allows_multiple_answers": False,
}
ANNA = {"id": 911, "is_bot": False, "first_name": "Anna", "username": "anna_privat"}


async def test_updates_ptb_cannot_read_are_skipped_once_and_everyone_else_is_answered(telegram, caplog):
    message = telegram.user_message(911, poll=OLD_POLL)
    message["from"] = ANNA
    await telegram.push({"message": message})
    await telegram.push({"poll_answer": {"poll_id": "5001", "user": ANNA, "option_ids": [0]}})
    await telegram.send_text(912, "Frist?")
    (reply,) = await telegram.replies(912, timeout=20)
    assert "17. Februar 2017" in reply["text"]
    bot = telegram.application.bot
    assert bot.unreadable == 2
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert [r.levelname for r in skipped] == ["WARNING", "WARNING"]
    assert not [r for r in caplog.records if r.levelname == "CRITICAL"]
    for personal in ("Anna", "anna_privat", "911", "Geheime Umfrage"):
        assert personal not in caplog.text
    await health.heartbeat(SimpleNamespace(bot=bot, bot_data=telegram.application.bot_data))
    healthy, why = health.check(telegram.data_dir)
    assert healthy and "2 unlesbare Updates übersprungen" in why


async def test_a_rejected_token_while_polling_is_retried_and_polling_goes_on(telegram):
    telegram.faults["getUpdates"] = ["401"]  # Telegram's moment: the token worked at start
    await telegram.send_text(913, "Frist?")
    (reply,) = await telegram.replies(913, timeout=20)
    assert "17. Februar 2017" in reply["text"]


def test_health_turns_unhealthy_when_no_poll_succeeds(tmp_path):
    now = datetime.now(UTC)
    status = {"at": now.isoformat(), "ok": True, "knowledge": "v1", "unreadable": 0}
    (tmp_path / health.HEALTH_FILE).write_text(json.dumps({**status, "polled_at": now.isoformat()}))
    assert health.check(tmp_path, now)[0]
    (tmp_path / health.HEALTH_FILE).write_text(
        json.dumps({**status, "polled_at": (now - 2 * health.STALE_AFTER).isoformat()})
    )
    healthy, why = health.check(tmp_path, now)
    assert not healthy and why == "zuletzt Updates abgeholt vor 180 s (getUpdates schlägt fehl)"


@pytest.mark.parametrize("content", ["[]", "null", '{"at": 5}', '{"at": "2017-01-01T00:00:00"}', '{"at": "x"}'])
def test_health_of_a_file_of_the_wrong_shape_is_unhealthy_not_a_traceback(tmp_path, content):
    (tmp_path / health.HEALTH_FILE).write_text(content)
    assert health.check(tmp_path) == (
        False,
        f"Lebenszeichen in {tmp_path / health.HEALTH_FILE} unlesbar (kein Zeitpunkt mit Zeitzone)",
    )


@pytest.mark.parametrize(("at", "ok"), [("2099-01-01T00:00:00+00:00", True), (None, "false")])
def test_a_heartbeat_from_the_future_or_a_string_ok_is_not_healthy(tmp_path, at, ok):
    now = datetime.now(UTC)
    (tmp_path / health.HEALTH_FILE).write_text(json.dumps({"at": at or now.isoformat(), "ok": ok}))
    assert not health.check(tmp_path, now)[0]


def test_an_old_heartbeat_is_told_in_words(tmp_path):
    now = datetime.now(UTC)
    (tmp_path / health.HEALTH_FILE).write_text(json.dumps({"at": (now - timedelta(days=3)).isoformat(), "ok": True}))
    assert health.check(tmp_path, now) == (False, "letztes Lebenszeichen vor 3 Tagen")


async def test_a_broken_database_declines_what_needs_it_and_answers_everything_else(telegram, monkeypatch):
    import aiosqlite

    monkeypatch.setattr("bot.core.storage.STORAGE_WAIT", 0.5)
    monkeypatch.setattr("bot.store.querylog.RETRY_SECONDS", (0.05,))
    core = services(telegram.application.bot_data)
    write = core.querylog._write

    async def full(batch):
        raise aiosqlite.OperationalError("database or disk is full")

    monkeypatch.setattr(core.querylog, "_write", full)
    locker = sqlite3.connect(database_path(telegram.data_dir), isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # and nobody else may write either
    try:
        await telegram.send_text(919, "Wer darf sich bewerben?")  # its log row cannot be written
        await telegram.replies(919)
        users = range(920, 926)  # more than the four updates handled at once
        for user in users:
            await telegram.send_text(user, "/meinedaten")
        await telegram.send_text(926, "/erinnerung")
        await telegram.send_text(927, "Frist?")
        assert "17. Februar 2017" in (await telegram.replies(927, timeout=20))[0]["text"]
        for user in [*users, 926]:
            assert "gerade nicht möglich" in (await telegram.replies(user, timeout=20))[0]["text"]
    finally:
        locker.execute("ROLLBACK")
        locker.close()
        monkeypatch.setattr(core.querylog, "_write", write)


async def test_after_the_database_was_deleted_a_subscription_lands_in_the_new_one(telegram):
    await telegram.send_text(930, "/erinnerung")
    await telegram.replies(930)
    path = database_path(telegram.data_dir)
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    await telegram.send_text(931, "/erinnerung")
    assert (await telegram.replies(931))[0]["text"].startswith("Erledigt")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT chat_id FROM subscriptions").fetchall() == [(931,)]


async def test_a_reply_hit_by_transient_errors_is_sent_again(telegram):
    telegram.faults["sendMessage"] = ["502", "drop"]  # a gateway error, then a cut connection
    await telegram.send_text(940, "Frist?")
    (reply,) = await telegram.replies(940, timeout=20)
    assert "17. Februar 2017" in reply["text"]
