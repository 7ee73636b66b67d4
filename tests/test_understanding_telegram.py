"""End to end through the stand-in Bot API: two answers in one message, follow-ups per chat."""

from __future__ import annotations

import html
import sqlite3

from bot.store.database import database_path
from bot.telegram import format
from bot.telegram.context import services

ANNA = 601
BERND = 602
WHO_MAY_APPLY = "Wer ist zur Bewerbung berechtigt?"
AND_A_FIRM = "Und eine Firma aus dem Münsterland?"
TWO_QUESTIONS = "Wie hoch ist die Förderung und wann ist Abgabeschluss?"


def link(source: str) -> str:
    return f'<a href="{html.escape(source, quote=True)}">Quelle</a>'


def voted_entry(message: dict) -> str | None:
    """The entry id the feedback buttons refer to ("u:<ref>:<entry>")."""
    markup = message.get("reply_markup") or {}
    data = [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]
    up = [d for d in data if d.startswith("u:")]
    return up[0].split(":", 2)[2] if up else None


async def test_two_questions_are_answered_in_one_message_with_two_sources(telegram, engine, before):
    expected = engine.reply(TWO_QUESTIONS, before)
    assert len(expected.entries) == 2
    await telegram.send_text(ANNA, TWO_QUESTIONS)
    await telegram.send_text(ANNA, "/frist")  # a chat's updates are handled in order: its reply comes after all
    message, deadline = await telegram.replies(ANNA, 2)
    assert deadline["text"].startswith("Bewerbungsschluss") and len(telegram.sent_to(ANNA)) == 2
    text = message["text"]
    assert text.count(">Quelle</a>") == 2
    for entry in expected.entries:
        assert link(entry.source_at(before)) in text
    assert html.escape(expected.body) in text and html.escape(expected.also[0].body) in text
    assert voted_entry(message) == expected.entry.id


async def test_follow_up_is_understood_within_its_chat_only(telegram, engine, before):
    expected = engine.reply(AND_A_FIRM, before, engine.reply(WHO_MAY_APPLY, before))
    assert expected.entry is not None

    await telegram.send_text(ANNA, WHO_MAY_APPLY)
    await telegram.replies(ANNA, 1)
    await telegram.send_text(ANNA, AND_A_FIRM)
    follow_up = (await telegram.replies(ANNA, 2))[1]
    assert voted_entry(follow_up) == expected.entry.id
    assert link(expected.entry.source_at(before)) in follow_up["text"]

    await telegram.send_text(BERND, AND_A_FIRM)
    (elsewhere,) = await telegram.replies(BERND, 1)
    assert voted_entry(elsewhere) is None and "Quelle" not in elsewhere["text"]
    assert engine.kb.call.documents_url in elsewhere["text"]


async def test_start_forgets_the_chat_context(telegram, engine, before):
    await telegram.send_text(ANNA, WHO_MAY_APPLY)
    await telegram.replies(ANNA, 1)
    await telegram.send_text(ANNA, "/start")
    await telegram.replies(ANNA, 2)
    await telegram.send_text(ANNA, AND_A_FIRM)
    after = (await telegram.replies(ANNA, 3))[2]
    assert voted_entry(after) is None and engine.kb.call.documents_url in after["text"]


async def test_confirmed_forgetting_also_forgets_the_chat_context(telegram, engine, before):
    await telegram.send_text(ANNA, WHO_MAY_APPLY)
    await telegram.replies(ANNA, 1)
    await telegram.send_text(ANNA, "/vergessen")
    confirm = (await telegram.replies(ANNA, 2))[1]
    await telegram.press(ANNA, "v:ja", confirm["message_id"])
    await telegram.wait_until(lambda: any("Gelöscht" in e.get("text", "") for e in telegram.edits))
    await telegram.send_text(ANNA, AND_A_FIRM)
    after = (await telegram.replies(ANNA, 3))[2]
    assert voted_entry(after) is None and engine.kb.call.documents_url in after["text"]


async def test_each_of_two_answers_gets_its_own_vote_and_the_buttons_of_its_topic(telegram, engine, before):
    expected = engine.reply(TWO_QUESTIONS, before)
    first, second = expected.entries
    await telegram.send_text(ANNA, TWO_QUESTIONS)
    (message,) = await telegram.replies(ANNA, 1)
    rows = [
        [(b["text"], b.get("callback_data", "")) for b in row] for row in message["reply_markup"]["inline_keyboard"]
    ]
    votes = [row for row in rows if row[0][1].startswith("u:")]
    assert [[text for text, _ in row] for row in votes] == [
        ["👍 1. Antwort", "👎 1. Antwort"],
        ["👍 2. Antwort", "👎 2. Antwort"],
    ]
    assert len(rows) <= 2 + 2 * format.RELATED_OF_TWO + 1  # votes, related, the reminder
    assert [row[0][1].rsplit(":", 1)[1] for row in votes] == [first.id, second.id]
    # the deadline is the second answer, and its reminder button is there all the same
    assert second.topic == "deadline" and any(data == "s:" for row in rows for _, data in row)

    await telegram.press(ANNA, votes[1][1][1], message["message_id"], user_id=ANNA)  # 👎 on the second answer
    await telegram.wait_until(lambda: telegram.edits)
    kept = [b.get("callback_data", "") for row in telegram.edits[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert votes[0][0][1] in kept and votes[1][0][1] not in kept  # only the voted answer's row goes
    await telegram.press(ANNA, votes[0][0][1], message["message_id"], user_id=ANNA)  # 👍 on the first
    await telegram.wait_until(lambda: len(telegram.edits) >= 2)
    await services(telegram.application.bot_data).querylog.flush()
    with sqlite3.connect(database_path(telegram.data_dir)) as connection:
        stored = connection.execute("SELECT entry, kind FROM events ORDER BY id").fetchall()
    assert stored == [(second.id, "down"), (first.id, "up")]
    await telegram.send_text(ANNA, "/meinedaten")  # Art. 15: which answer each vote was for
    mine = (await telegram.replies(ANNA, 2))[1]["text"]
    assert "(👎 2. Antwort, 👍 1. Antwort)" in mine


def test_each_of_two_answers_offers_its_own_related_entries_but_not_the_other_answer(engine, before):
    reply = engine.reply("Bis wann muss ich die Skizze einreichen und wird die Frist verlängert?", before)
    answered = [entry.id for entry in reply.entries]
    assert len(answered) == 2
    (message,) = format.messages_for(reply, engine.kb, "0123456789ab")
    shown = [b.callback_data for row in message.keyboard.inline_keyboard for b in row if b.callback_data[0] == "e"]
    expected = [
        f"e:{related}"
        for entry in reply.entries
        for related in [r for r in entry.related if r not in answered][: format.RELATED_OF_TWO]
    ]
    assert shown == list(dict.fromkeys(expected))
