"""Whatever people send: arbitrary Unicode for the engine and the bot, every kind of update."""

from __future__ import annotations

import html
import re
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram.constants import MessageLimit

from bot.engine import Outcome
from bot.store.database import database_path
from bot.telegram import format
from bot.telegram.context import services

ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=None), max_size=300) | st.sampled_from(
    [
        "",
        " \t\n ",
        "\x00\x01\x02",
        "\ud800 einsames Surrogat \udfff",
        "‏مرحبا، متى الموعد النهائي؟‎",  # right-to-left
        "👩‍👩‍👧‍👦🏳️‍🌈 Frist? 👍🏽",
        "x" * MessageLimit.MAX_TEXT_LENGTH,
        "<b>Frist</b> <a href='javascript:alert(1)'>x</a> & &amp; *fett* _kursiv_ `code` [link](http://x)",
        "/start ../../etc/passwd",
        "/frist " + "ä" * 500,
        "a, " * 400 + "ich weiß nicht, wo",  # many clauses: no regular expression may backtrack on them
        "Ich finde es toll, aber " * 50 + "wohin?",
    ]
)
OUR_TAGS = re.compile(r'<a href="[^"<>]*">Quelle</a>')


@settings(max_examples=300, deadline=None)
@given(question=ANY_TEXT)
def test_engine_and_formatting_survive_anything(engine, before, question):
    reply = engine.reply(question, before)
    assert reply.outcome in set(Outcome)
    assert 0 <= reply.score <= 100
    assert reply.text
    for piece in format.messages_for(reply, engine.kb, "0123456789ab", call_open=True):
        visible = html.unescape(OUR_TAGS.sub("Quelle", piece.html))
        assert len(visible) <= MessageLimit.MAX_TEXT_LENGTH
        assert "<" not in OUR_TAGS.sub("", piece.html)  # user text never becomes markup
        piece.html.encode("utf-8")  # sendable: no lone surrogates left


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT.filter(lambda t: t.strip() and not t.startswith("/")))
async def test_the_bot_answers_any_text_message(telegram, text):
    chat = 700000 + len(telegram.sent)
    await telegram.send_text(chat, text)
    (reply,) = await telegram.replies(chat)
    assert reply["text"]


async def test_every_update_type_is_handled_or_ignored_without_error(telegram, caplog):
    user = {"id": 801, "is_bot": False, "first_name": "U"}
    channel = {"id": -100555, "type": "channel", "title": "Kanal"}
    poll = {
        "id": "p",
        "question": "?",
        "options": [{"text": "a", "voter_count": 0, "persistent_id": "o1"}],
        "total_voter_count": 0,
        "is_closed": False,
        "is_anonymous": True,
        "type": "regular",
        "allows_multiple_answers": False,
        "allows_revoting": False,
        "members_only": False,
    }

    def member(status: str) -> dict:
        return {"user": {"id": 4242, "is_bot": True, "first_name": "B"}, "status": status}

    chat = {"id": 801, "type": "private", "first_name": "U"}
    updates = [
        {"channel_post": {"message_id": 1, "date": 1, "chat": channel, "text": "Frist?"}},
        {"edited_channel_post": {"message_id": 1, "date": 1, "edit_date": 2, "chat": channel, "text": "Frist??"}},
        {"inline_query": {"id": "iq", "from": user, "query": "Frist", "offset": ""}},
        {"chosen_inline_result": {"result_id": "r", "from": user, "query": "Frist"}},
        {"poll": poll},
        {"poll_answer": {"poll_id": "p", "user": user, "option_ids": [0], "option_persistent_ids": ["o1"]}},
        {"my_chat_member": {"chat": chat, "from": user, "date": 1, "old_chat_member": member("member"),
                            "new_chat_member": {**member("kicked"), "until_date": 0}}},
        {"chat_join_request": {"chat": {"id": -100666, "type": "supergroup", "title": "G"}, "from": user,
                               "user_chat_id": 801, "date": 1}},
        {"message": {"message_id": 5, "date": 1, "chat": chat, "from": user, "new_chat_title": "x"}},
    ]  # fmt: skip
    for update in updates:
        await telegram.push(update)
    await telegram.send_text(802, "Hallo")
    assert (await telegram.replies(802))[0]["text"].startswith("Hallo!")
    assert "error while handling" not in caplog.text
    assert not telegram.sent_to(-100555) and not telegram.sent_to(801)


async def test_blocking_the_bot_ends_the_subscription(telegram):
    await telegram.send_text(803, "/erinnerung")
    await telegram.replies(803)
    member = {"user": {"id": 4242, "is_bot": True, "first_name": "B"}}
    await telegram.push(
        {
            "my_chat_member": {
                "chat": {"id": 803, "type": "private", "first_name": "U"},
                "from": {"id": 803, "is_bot": False, "first_name": "U"},
                "date": 1,
                "old_chat_member": {**member, "status": "member"},
                "new_chat_member": {**member, "status": "kicked", "until_date": 0},
            }
        }
    )
    await telegram.send_text(803, "/meinedaten")
    mine = (await telegram.replies(803, 2))[-1]["text"]
    assert "nicht angemeldet" in mine  # blocked: the subscription and the chat id are gone


async def test_commands_with_odd_arguments(telegram):
    odd = ["/start ../../etc/passwd", "/start " + "x" * 64, "/frist " + "ä" * 300, "/themen 1 2 3", "/hilfe <b>",
           "/erinnerung jetzt sofort", "/kontakt\x00", "/start frist-bewerbungsschluss extra"]  # fmt: skip
    for number, command in enumerate(odd):
        await telegram.send_text(810 + number, command)
    for number in range(len(odd)):
        assert (await telegram.replies(810 + number))[0]["text"]


async def test_odd_callbacks_neither_delete_nor_log_errors(telegram, caplog):
    await telegram.send_text(830, "/vergessen")
    (confirm,) = await telegram.replies(830)
    await telegram.press(830, None, confirm["message_id"])  # a callback without data
    await telegram.press(830, "v:ja\n", confirm["message_id"])
    await telegram.wait_until(lambda: len(telegram.callback_answers) >= 2)
    assert not telegram.edits  # neither "Nichts gelöscht." nor a deletion
    assert all("nicht mehr gültig" in answer["text"] for answer in telegram.callback_answers)

    await telegram.send_text(831, "/themen")
    (menu,) = await telegram.replies(831)
    telegram.faults["editMessageText"] = ["400:Bad Request: message is not modified"]  # the same topic twice
    telegram.faults["answerCallbackQuery"] = [
        "", "400:Bad Request: query is too old and response timeout expired or query id is invalid",
    ]  # fmt: skip
    await telegram.press(831, "t:deadline", menu["message_id"])
    await telegram.press(831, "e:frist-status", menu["message_id"])  # pressed long ago: the answer still comes
    await telegram.replies(831, 2)
    await telegram.wait_until(lambda: not telegram.faults["editMessageText"])
    await telegram.settled()
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


async def test_direction_overrides_are_not_stored(telegram):
    await telegram.send_text(832, "Wer darf sich \u202ebewerben\u202c? \u2066x\u2069")
    await telegram.replies(832)
    await services(telegram.application.bot_data).querylog.flush()
    with sqlite3.connect(database_path(telegram.data_dir)) as connection:
        (text,) = connection.execute("SELECT text FROM questions").fetchone()
    assert text == "Wer darf sich bewerben? x"
