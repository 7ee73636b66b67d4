"""Deadline reminders against the stand-in server (429 over its rate, 403 for blocked chats)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections import Counter
from datetime import datetime, timedelta

from fake_telegram import FakeBotApi, eventually, nothing_due, running

from bot.clock import Clock
from bot.config import SHIPPED_KNOWLEDGE, Settings
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.store.database import Database, database_path
from bot.store.reminders import ReminderLedger
from bot.telegram.app import build_application

SLOT = datetime.fromisoformat("2017-02-16T09:00:00+01:00")  # one day before the deadline
TOMORROW = "Die Frist endet morgen, am 17. Februar 2017."


async def seed(data_dir, chats: list[int], at: datetime = SLOT - timedelta(days=3)) -> None:
    database = Database(data_dir)
    for chat in chats:
        await ReminderLedger(database).subscribe(chat, at)
    await database.close()


def ledger_rows(data_dir) -> list[tuple]:
    with sqlite3.connect(database_path(data_dir)) as connection:
        return connection.execute("SELECT chat_id, days_before, status FROM reminders").fetchall()


def reminders_received(api: FakeBotApi) -> Counter:
    return Counter(int(m["chat_id"]) for m in api.sent if m["text"].startswith("⏰ Erinnerung"))


def bot_at(api: FakeBotApi, data_dir, start: datetime, send_rate: float):
    """The real Application in this process, its clock starting at `start`, as a context manager."""
    settings = Settings(
        token=api.token, api_base_url=api.base_url, data_dir=data_dir, knowledge=SHIPPED_KNOWLEDGE,
        admin_ids=frozenset(), send_rate=send_rate, flood_messages=0, flood_window=60,
    )  # fmt: skip
    return running(build_application(settings, Engine(load_knowledge(SHIPPED_KNOWLEDGE)), Clock(start)), api)


async def test_each_subscriber_gets_each_due_reminder_exactly_once(tmp_path):
    api = FakeBotApi(rate_limit=10)
    await api.start()
    subscribers = list(range(1000, 1024))
    api.blocked = {1003, 1017}
    await seed(tmp_path, subscribers)
    try:
        async with bot_at(api, tmp_path, SLOT - timedelta(seconds=1), send_rate=8):
            await api.wait_until(lambda: len(reminders_received(api)) >= 3, timeout=15)
            await api.send_text(555, "Wann ist die Bewerbungsfrist?")  # during the broadcast
            await api.replies(555, timeout=10)
            reminded_before_the_answer = len(reminders_received(api))
            # one ledger row per subscriber, except for those who blocked the bot (deleted with their chat id)
            await api.wait_until(lambda: len(ledger_rows(tmp_path)) == len(subscribers) - 2, timeout=30)
            await api.wait_until(lambda: all(s != "sending" for *_, s in ledger_rows(tmp_path)), timeout=10)
            received = reminders_received(api)
        async with bot_at(api, tmp_path, SLOT + timedelta(minutes=30), send_rate=8) as application:
            # a restart inside the grace period sends nothing again: its catch-up job has run
            await eventually(lambda: nothing_due(application), "the JobQueue ran the jobs due at start")
    finally:
        await api.stop()
    assert set(received) == set(subscribers) - api.blocked
    assert set(received.values()) == {1}
    assert reminders_received(api) == received
    assert api.too_many == 0
    assert reminded_before_the_answer < len(received), "the question was answered while the broadcast went on"
    text = next(m["text"] for m in api.sent if m["text"].startswith("⏰"))
    assert TOMORROW in text and "/abmelden" in text
    statuses = Counter(status for *_, status in ledger_rows(tmp_path))
    assert statuses == {"sent": len(subscribers) - 2}  # the two that blocked the bot: no rows, no chat id
    with sqlite3.connect(database_path(tmp_path)) as connection:
        kept = {chat for (chat,) in connection.execute("SELECT chat_id FROM subscriptions")}
    assert kept == set(subscribers) - {1003, 1017}


async def test_a_reminder_missed_for_too_long_is_skipped_and_logged(tmp_path, caplog):
    api = FakeBotApi()
    await api.start()
    await seed(tmp_path, [2001, 2002])
    try:
        async with bot_at(api, tmp_path, SLOT + timedelta(hours=11), send_rate=0) as application:
            await eventually(lambda: nothing_due(application), "the JobQueue ran the jobs due at start")
    finally:
        await api.stop()
    assert not reminders_received(api)
    assert sorted(ledger_rows(tmp_path)) == [(2001, 1, "skipped"), (2002, 1, "skipped")]
    assert "skipped for 2 chats" in caplog.text


async def test_subscribe_unsubscribe_and_closed_call(tmp_path):
    api = FakeBotApi()
    await api.start()
    try:
        async with bot_at(api, tmp_path, datetime.fromisoformat("2017-01-20T10:00:00+01:00"), send_rate=0):
            for text in ("/erinnerung", "/erinnerung", "/abmelden", "/abmelden", "Wann ist die Frist?"):
                await api.send_text(3001, text)
            first, again, off, off_again, answer = (m for m in await api.replies(3001, 5))
        async with bot_at(api, tmp_path, datetime.fromisoformat("2017-03-01T10:00:00+01:00"), send_rate=0):
            await api.send_text(3002, "/erinnerung")
            closed = (await api.replies(3002))[0]
    finally:
        await api.stop()
    assert first["text"] == (
        "Erledigt: Ich erinnere Sie am 3. Februar 2017, 10. Februar 2017, 16. Februar 2017 und"
        " 17. Februar 2017 jeweils um 09:00 Uhr. Abmelden mit /abmelden."
    )
    assert again["text"].startswith("Sie sind bereits angemeldet")
    assert off["text"].startswith("Sie sind abgemeldet") and off_again["text"].startswith("Sie waren nicht")
    assert not [row for row in ledger_rows(tmp_path) if row[0] == 3001]
    with sqlite3.connect(database_path(tmp_path)) as connection:  # after /abmelden no chat id is kept
        assert connection.execute("SELECT count(*) FROM subscriptions WHERE chat_id = 3001").fetchone() == (0,)
    buttons = [b["callback_data"] for row in answer["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0] == "s:"  # deadline answers offer reminders while the call is open
    assert "abgelaufen" in closed["text"] and "keine mehr" in closed["text"]


async def test_killed_in_the_middle_of_a_broadcast_the_rest_is_sent_without_duplicates(tmp_path):
    api = FakeBotApi(rate_limit=10)
    await api.start()
    subscribers = list(range(4000, 4030))
    await seed(tmp_path, subscribers)

    async def start(now: datetime) -> asyncio.subprocess.Process:
        env = {
            **os.environ, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
            "FOERDERBOT_DATA_DIR": str(tmp_path), "FOERDERBOT_SEND_RATE": "8",
        }  # fmt: skip
        with (tmp_path / "bot.log").open("ab") as log:
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "run", "--now", now.isoformat(), env=env, stdout=log, stderr=log
            )

    processes = []
    try:
        first = await start(SLOT - timedelta(seconds=1))
        processes.append(first)
        await api.wait_until(lambda: len(reminders_received(api)) >= 8, timeout=30)
        first.send_signal(signal.SIGKILL)
        await first.wait()
        cut = len(reminders_received(api))
        second = await start(SLOT + timedelta(minutes=5))  # within the grace period: sends the rest late
        processes.append(second)

        def settled() -> bool:
            rows = ledger_rows(tmp_path)
            uncertain = {chat for chat, _, status in rows if status == "sending"}
            return len(rows) == len(subscribers) and set(reminders_received(api)) | uncertain == set(subscribers)

        await api.wait_until(settled, timeout=30)
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), timeout=10)
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()
        await api.stop()
    received = reminders_received(api)
    uncertain = [chat for chat, _, status in ledger_rows(tmp_path) if status == "sending"]
    assert cut < len(subscribers), "the kill must have hit the middle of the broadcast"
    assert set(received.values()) == {1}, "nobody gets a reminder twice"
    assert set(received) | set(uncertain) == set(subscribers)
    assert len(uncertain) <= 1  # at most the one message in flight at the moment of the kill
    assert api.too_many == 0
