"""The eligibility check end to end in Telegram (stand-in Bot API), and its counts in the report."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from bot.cli.report import print_tables
from bot.cli.report_html import render_html
from bot.store.report import Period
from bot.telegram.context import services

PRIVATE = 611
AFTER = "2017-03-01T10:00:00+01:00"


def buttons(message: dict) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


def data_of(message: dict, label: str) -> str:
    return next(data for text, data in buttons(message) if text == label)


async def press_and_get_edit(telegram, data: str, message_id: int) -> dict:
    count = len(telegram.edits)
    await telegram.press(PRIVATE, data, message_id)
    await telegram.wait_until(lambda: len(telegram.edits) > count)
    return telegram.edits[-1]


async def test_check_walks_one_message_with_back_restart_and_free_text_between(telegram):
    version = services(telegram.application.bot_data).knowledge.kb.check.version
    await telegram.send_text(PRIVATE, "/check")
    (first,) = await telegram.replies(PRIVATE)
    assert "Wer möchte sich mit dem Projekt bewerben?" in first["text"] and first["parse_mode"] == "HTML"
    assert [data for _, data in buttons(first)] == [f"k:{version}:{n}" for n in range(1, 7)]
    message_id = first["message_id"]

    region = await press_and_get_edit(telegram, data_of(first, "Ein Unternehmen"), message_id)
    assert region["message_id"] == message_id and "Emscher-Lippe-Region" in region["text"]
    assert ("« zurück", f"k:{version}:") in buttons(region) and ("↺ neu beginnen", f"k:{version}:") in buttons(region)

    # a question typed in the middle is answered normally and the check goes on where it was
    await telegram.send_text(PRIVATE, "Wann ist die Bewerbungsfrist?")
    answer = (await telegram.replies(PRIVATE, 2))[1]
    assert "17. Februar 2017" in answer["text"]

    partners = await press_and_get_edit(telegram, data_of(region, "Nein, von außerhalb"), message_id)
    assert "Partnern aus der Emscher-Lippe-Region" in partners["text"]
    result = await press_and_get_edit(telegram, data_of(partners, "Nein, ohne Partner aus der Region"), message_id)
    assert "Eignungs-Check · Ergebnis" in result["text"]
    assert "von außerhalb allein gehören Sie nicht zu den Genannten" in result["text"]
    assert '<a href="http://www.fz-juelich.de/' in result["text"] and "noch 4 Wochen" in result["text"]
    assert result["text"].endswith("dieser Check ist eine erste Orientierung, keine Zusage.")
    assert ("Muss ich aus der Emscher-Lippe-Region kommen?", "e:herkunft-region") in buttons(result)

    back = await press_and_get_edit(telegram, data_of(result, "« zurück"), message_id)
    assert back["text"] == partners["text"]
    restarted = await press_and_get_edit(telegram, data_of(back, "↺ neu beginnen"), message_id)
    assert "Wer möchte sich mit dem Projekt bewerben?" in restarted["text"]
    assert "« zurück" not in dict(buttons(restarted))

    await telegram.press(PRIVATE, "e:herkunft-region", message_id)  # a linked entry opens as an answer
    assert "soweit sie aus der Emscher-Lippe-Region" in (await telegram.replies(PRIVATE, 3))[2]["text"]
    assert len(telegram.sent_to(PRIVATE)) == 3  # every step was an edit of the one message


@pytest.mark.now(AFTER)
async def test_after_the_deadline_the_check_says_first_that_the_call_is_closed(telegram):
    version = services(telegram.application.bot_data).knowledge.kb.check.version
    await telegram.send_text(PRIVATE, "/check")
    (first,) = await telegram.replies(PRIVATE)
    assert first["text"].split("\n\n")[1].startswith("Der Aufruf ist geschlossen.")
    result = await press_and_get_edit(telegram, f"k:{version}:5", first["message_id"])
    paragraphs = result["text"].split("\n\n")
    assert paragraphs[1] == (
        "Der Aufruf ist geschlossen. Die Frist ist am 17. Februar 2017 abgelaufen; Bewerbungen sind nicht mehr möglich."
    )
    assert "Privatpersonen wurden im Aufruf nicht als Antragsteller genannt" in paragraphs[2]
    assert "Sie haben noch" not in result["text"]


async def test_start_and_eligibility_answers_offer_the_check(telegram):
    await telegram.send_text(PRIVATE, "/start")
    (welcome,) = await telegram.replies(PRIVATE)
    assert buttons(welcome)[0] == ("Bin ich antragsberechtigt?", "k:start")
    await telegram.press(PRIVATE, "k:start", welcome["message_id"])
    started = (await telegram.replies(PRIVATE, 2))[1]  # a message of its own; the welcome stays
    assert "Wer möchte sich mit dem Projekt bewerben?" in started["text"]

    await telegram.send_text(PRIVATE, "Wer darf sich bewerben?")
    eligibility = (await telegram.replies(PRIVATE, 3))[2]
    assert ("Bin ich antragsberechtigt?", "k:start") in buttons(eligibility)
    await telegram.send_text(PRIVATE, "Wann ist die Bewerbungsfrist?")
    deadline = (await telegram.replies(PRIVATE, 4))[3]
    assert ("Bin ich antragsberechtigt?", "k:start") not in buttons(deadline)


def test_the_longest_path_a_tree_may_have_fits_telegrams_button_data(kb):
    from bot.knowledge.checktree import MAX_DEPTH, MAX_OPTIONS
    from bot.telegram.check import _parse, step_data

    deepest = (MAX_OPTIONS,) * MAX_DEPTH
    data = step_data(kb.check, deepest)
    assert len(data.encode()) <= 64
    assert _parse(data, kb.check) == deepest


async def test_stale_and_forged_check_buttons_get_the_polite_reply(telegram):
    version = services(telegram.application.bot_data).knowledge.kb.check.version
    other = "0" * 6 if version != "0" * 6 else "1" * 6
    forged = [f"k:{other}:1", f"k:{version}:7", f"k:{version}:19", f"k:{version}:5" + "1" * 60, "k:", "k:start:1",
              f"k:{version}:0", f"k:{version.upper()}:1"]  # fmt: skip
    for data in forged:
        await telegram.press(PRIVATE, data)
    await telegram.wait_until(lambda: len(telegram.callback_answers) >= len(forged))
    assert all("nicht mehr gültig" in answer["text"] for answer in telegram.callback_answers)
    assert not telegram.sent_to(PRIVATE) and not telegram.edits


async def test_results_reached_are_counted_per_day_in_the_report(telegram, before):
    core = services(telegram.application.bot_data)
    kb = core.knowledge.kb
    version = kb.check.version
    for path in ("5", "5", "1", "11", "122"):
        await press_and_get_edit(telegram, f"k:{version}:{path}", 1)
    report = await core.querylog.report(kb.call, Period(None, None), datetime.now(UTC))
    assert report.check_results == {"privatperson": 2, "ausserhalb-ohne-partner": 1, "unternehmen-region": 1}
    day = before.date().isoformat()
    assert {"date": day, "result": "privatperson", "count": 2} in report.check_per_day
    assert report.to_json()["check_results"]["total"] == 4
    async with core.database.reading() as connection:
        columns = {name for (name,) in await (await connection.execute(
            "SELECT name FROM pragma_table_info('check_results')")).fetchall()}  # fmt: skip
    assert columns == {"day", "result", "count"}  # nobody's key, no text: only how often
    page = render_html(report, kb, Period(None, None))
    assert "Eignungs-Check" in page and "<td>privatperson</td><td>2</td>" in page
    empty = await core.querylog.report(kb.call, Period(before.date().replace(year=2018), None), datetime.now(UTC))
    assert empty.check_results == {}


def test_report_tables_show_the_check(kb):
    from bot.store.report import Report

    report = Report(0, {"answer": 0, "clarify": 0, "fallback": 0}, {"up": 0, "down": 0}, [], [], [],
                    check_per_day=[{"date": "2017-01-20", "result": "privatperson", "count": 3}])  # fmt: skip
    out = io.StringIO()
    print_tables(report, 10, kb, out)
    out = out.getvalue()
    assert "Eignungs-Check: erreichte Ergebnisse" in out and "privatperson" in out
    assert "Fr. 20. Jan." in out and "2017-01-20" not in out  # days as in the other tables
    page = render_html(report, kb, Period(None, None))
    assert "<td>Fr. 20. Jan.</td><td>privatperson</td><td>3</td>" in page and "2017-01-20" not in page
