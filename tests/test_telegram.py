"""End to end: the real Application against the stand-in Bot API server (tests/fake_telegram.py)."""

from __future__ import annotations

import re
import sqlite3

import pytest
from telegram.constants import MessageLimit

from bot.store.database import database_path
from bot.telegram.context import services

STICKER = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
           "is_animated": False, "is_video": False}  # fmt: skip
PRIVATE = 501
GROUP = -100777


def buttons(message: dict) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


async def test_start_sets_commands_and_greets(telegram):
    commands = [params for method, params in telegram.calls if method == "setMyCommands"]
    assert any(p.get("language_code") == "en" for p in commands)
    german = next(p for p in commands if "language_code" not in p)
    assert {c["command"] for c in german["commands"]} >= {"start", "hilfe", "themen", "frist", "kontakt", "datenschutz"}

    await telegram.send_text(PRIVATE, "/start")
    (reply,) = await telegram.replies(PRIVATE)
    assert "Umbau 21 – Smart Region" in reply["text"] and "/datenschutz" in reply["text"]
    assert "geschlossen" not in reply["text"]
    assert any(data.startswith("t:") for _, data in buttons(reply))


@pytest.mark.now("2017-03-01T10:00:00+01:00")
async def test_start_after_the_deadline_says_the_call_is_closed(telegram):
    await telegram.send_text(PRIVATE, "/start")
    (reply,) = await telegram.replies(PRIVATE)
    assert "Der Aufruf ist geschlossen. Die Frist ist am 17. Februar 2017 abgelaufen" in reply["text"]


async def test_start_deep_link_opens_an_entry_or_a_topic(telegram):
    await telegram.send_text(PRIVATE, "/start frist-bewerbungsschluss")
    await telegram.send_text(PRIVATE, "/start region")
    first, second = await telegram.replies(PRIVATE, 2)
    assert "17. Februar 2017" in first["text"]
    assert second["text"].startswith("Region") and any(d == "e:region-was" for _, d in buttons(second))


async def test_free_text_answer_has_source_related_and_feedback(telegram):
    await telegram.send_text(PRIVATE, "Wann ist die Bewerbungsfrist?")
    (reply,) = await telegram.replies(PRIVATE)
    assert reply["parse_mode"] == "HTML"
    assert "17. Februar 2017" in reply["text"] and "noch 4 Wochen" in reply["text"]
    assert '<a href="https://www.wirtschaft.nrw/' in reply["text"]
    data = [d for _, d in buttons(reply)]
    up, down = data[-2:]
    assert re.fullmatch(r"u:[0-9a-f]{12}:frist-bewerbungsschluss", up)
    assert down == "d" + up[1:]
    assert "e:frist-status" in data


async def test_clarify_buttons_lead_to_the_chosen_answer(telegram):
    await telegram.send_text(PRIVATE, "Frist Partner")
    (reply,) = await telegram.replies(PRIVATE)
    assert reply["text"] == "Meinten Sie …?"
    choices = [d for _, d in buttons(reply)]
    assert 2 <= len(choices) <= 3
    assert all(re.fullmatch(r"c:[0-9a-f]{12}:[a-z0-9-]+", d) for d in choices)
    await telegram.press(PRIVATE, choices[0], reply["message_id"])
    await telegram.replies(PRIVATE, 2)
    assert "<a href=" in telegram.sent_to(PRIVATE)[1]["text"]
    assert telegram.callback_answers


async def test_fallback_points_to_documents_and_topics(telegram):
    await telegram.send_text(PRIVATE, "Wie beantrage ich Wohngeld?")
    (reply,) = await telegram.replies(PRIVATE)
    assert "umbau21-smartregion.de" in reply["text"]
    assert buttons(reply) == [("Themen anzeigen", "t:")]


async def test_a_question_about_another_programme_is_told_that_the_bot_knows_only_its_call(telegram):
    await telegram.send_text(PRIVATE, "Wie hoch ist der Zuschuss beim KfW-Programm?")
    (reply,) = await telegram.replies(PRIVATE)
    assert reply["text"].startswith("Ich kenne nur den Aufruf „Umbau 21 – Smart Region“")
    assert "umbau21-smartregion.de" in reply["text"] and buttons(reply) == [("Themen anzeigen", "t:")]


async def test_a_job_application_is_told_that_the_bot_answers_only_questions_about_its_call(telegram):
    await telegram.send_text(PRIVATE, "Gibt es bei der Stadt Bottrop offene Stellen? Bis wann kann ich mich bewerben?")
    (reply,) = await telegram.replies(PRIVATE)
    assert reply["text"].startswith("Ich beantworte nur Fragen zum Aufruf „Umbau 21 – Smart Region“")
    assert "umbau21-smartregion.de" in reply["text"] and buttons(reply) == [("Themen anzeigen", "t:")]


async def test_feedback_is_thanked_and_removes_the_vote_buttons(telegram):
    await telegram.send_text(PRIVATE, "Frist?")
    (reply,) = await telegram.replies(PRIVATE)
    await telegram.press(PRIVATE, buttons(reply)[-2][1], reply["message_id"])
    await telegram.wait_until(lambda: telegram.edits)
    assert telegram.callback_answers[-1]["text"] == "Danke für Ihre Rückmeldung!"


async def test_topics_browsing_edits_the_menu_and_answers(telegram):
    await telegram.send_text(PRIVATE, "/themen")
    (menu,) = await telegram.replies(PRIVATE)
    assert ("Fristen", "t:deadline") in buttons(menu)
    await telegram.press(PRIVATE, "t:deadline", menu["message_id"])
    await telegram.wait_until(lambda: telegram.edits)
    edit = telegram.edits[-1]
    assert edit["text"].startswith("Fristen") and ("« Alle Themen", "t:") in buttons(edit)
    await telegram.press(PRIVATE, "e:frist-status", menu["message_id"])
    answer = (await telegram.replies(PRIVATE, 2))[1]
    assert "17. Februar 2017" in answer["text"]


async def test_forged_and_stale_callbacks_get_a_polite_answer(telegram):
    forged = [
        "e:gibt-es-nicht",
        "x:frist",
        "t:keinthema",
        "u:" + "a" * 80,
        "e:<script>",
        "u:frist-status",
        "c:zz:hallo",
    ]
    for data in forged:
        await telegram.press(PRIVATE, data)
    await telegram.wait_until(lambda: len(telegram.callback_answers) >= len(forged))
    assert all("nicht mehr gültig" in answer["text"] for answer in telegram.callback_answers)
    assert not telegram.sent_to(PRIVATE)


async def test_commands_frist_kontakt_datenschutz_hilfe(telegram):
    for command in ("/frist", "/kontakt", "/datenschutz", "/hilfe"):
        await telegram.send_text(PRIVATE, command)
    deadline, contact, privacy, help_text = (m["text"] for m in await telegram.replies(PRIVATE, 4))
    assert "Bewerbungsschluss: 17. Februar 2017" in deadline and "noch 4 Wochen" in deadline
    assert "WiN Emscher-Lippe GmbH" in contact and "umbau21-smartregion.de" in contact
    assert "Telegram-ID" in privacy
    assert "/themen" in help_text


async def test_stickers_photos_and_locations_get_a_polite_text_only_reply(telegram):
    await telegram.push({"message": telegram.user_message(PRIVATE, sticker=STICKER)})
    await telegram.push(
        {
            "message": telegram.user_message(
                PRIVATE, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
            )
        }
    )
    await telegram.push({"message": telegram.user_message(PRIVATE, location={"latitude": 51.5, "longitude": 7.1})})
    replies = await telegram.replies(PRIVATE, 3)
    assert all(r["text"] == "Ich verstehe nur Textnachrichten. Bitte schreiben Sie Ihre Frage." for r in replies)


async def test_edited_messages_are_ignored(telegram):
    await telegram.push({"edited_message": {**telegram.user_message(PRIVATE, "Frist?"), "edit_date": 1}})
    await telegram.send_text(PRIVATE, "Hallo")
    (reply,) = await telegram.replies(PRIVATE)
    assert reply["text"].startswith("Hallo!")
    await telegram.settled()
    assert len(telegram.sent_to(PRIVATE)) == 1


async def test_groups_only_when_addressed(telegram):
    await telegram.send_text(GROUP, "Wann ist die Frist?", chat_type="supergroup", user_id=11)
    mention = "@foerder_test_bot wann ist die frist"
    await telegram.send_text(
        GROUP, mention, chat_type="supergroup", user_id=11, entities=[{"type": "mention", "offset": 0, "length": 17}]
    )
    (reply,) = await telegram.replies(GROUP)
    assert "17. Februar 2017" in reply["text"]
    assert reply["reply_parameters"]["message_id"]  # answers as a reply in groups
    bot_message = {"message_id": reply["message_id"], "date": 1, "chat": {"id": GROUP, "type": "supergroup"},
                   "from": {"id": 4242, "is_bot": True, "first_name": "Förderbot", "username": "foerder_test_bot"},
                   "text": reply["text"]}  # fmt: skip
    await telegram.send_text(GROUP, "Und wer darf sich bewerben?", chat_type="supergroup", user_id=11,
                             reply_to_message=bot_message)  # fmt: skip
    await telegram.send_text(GROUP, "/frist", chat_type="supergroup", user_id=11)
    replies = await telegram.replies(GROUP, 3)
    assert "Unternehmen" in replies[1]["text"] and "Bewerbungsschluss" in replies[2]["text"]
    await telegram.push({"message": telegram.user_message(GROUP, chat_type="supergroup", sticker=STICKER)})
    await telegram.settled()
    assert len(telegram.sent_to(GROUP)) == 3


async def test_html_in_user_input_is_escaped(telegram):
    await telegram.send_text(PRIVATE, "<b>Frist</b> & <script>alert(1)</script>")
    (reply,) = await telegram.replies(PRIVATE)
    assert "<script>" not in reply["text"] and "<b>" not in reply["text"]


async def test_very_long_input_is_answered(telegram):
    await telegram.send_text(PRIVATE, "Wann ist die Frist? " * 200)
    (reply,) = await telegram.replies(PRIVATE)
    assert len(reply["text"]) <= MessageLimit.MAX_TEXT_LENGTH


async def test_flood_control_warns_once_then_ignores(telegram):
    chat = 909
    for _ in range(25):
        await telegram.send_text(chat, "Hallo")
    await telegram.wait_until(lambda: any("sehr schnell" in m["text"] for m in telegram.sent_to(chat)))
    await telegram.settled()
    texts = [m["text"] for m in telegram.sent_to(chat)]
    assert sum("sehr schnell" in t for t in texts) == 1
    assert len(texts) == 21  # 20 answers, one notice, then silence
    await telegram.send_text(PRIVATE, "Hallo")  # other chats are unaffected
    assert (await telegram.replies(PRIVATE))[0]["text"].startswith("Hallo!")


def choices(data_dir) -> list[tuple[str]]:
    with sqlite3.connect(database_path(data_dir)) as connection:
        return connection.execute("SELECT entry FROM events WHERE kind = 'choice'").fetchall()


async def test_in_a_group_only_the_askers_choice_counts(telegram):
    """Another member's press on "Meinten Sie …?" was logged as the asker's choice."""
    group, asker, other = -100889, 891, 892
    await telegram.send_text(group, "@foerder_test_bot Frist Partner", user_id=asker, chat_type="supergroup",
                             entities=[{"type": "mention", "offset": 0, "length": 17}])  # fmt: skip
    (prompt,) = await telegram.replies(group)
    assert prompt["text"].startswith("Meinten Sie")
    option = buttons(prompt)[0][1]
    await telegram.press(group, option, prompt["message_id"], user_id=other)
    await telegram.replies(group, 2)  # the answer is shown to whoever asks for it
    await services(telegram.application.bot_data).querylog.flush()
    assert choices(telegram.data_dir) == []
    await telegram.press(group, option, prompt["message_id"], user_id=asker)
    await telegram.replies(group, 3)
    await services(telegram.application.bot_data).querylog.flush()
    assert len(choices(telegram.data_dir)) == 1


async def test_a_button_pressed_over_the_limit_is_answered_too(telegram):
    """The press that crossed the limit got the notice but no answer: its spinner kept turning."""
    chat = 910
    await telegram.send_text(chat, "Frist?")
    (reply,) = await telegram.replies(chat)
    up = buttons(reply)[-2][1]
    for _ in range(21):
        await telegram.press(chat, up, reply["message_id"])
    await telegram.wait_until(lambda: len(telegram.callback_answers) >= 21)
    await telegram.settled()
    assert len(telegram.callback_answers) == 21


async def test_group_chatter_does_not_count_against_the_flood_limit(telegram):
    """21 messages between members once made the bot post "Sie schreiben gerade sehr schnell" into
    the group and ignore the next question that was meant for it."""
    group = -100777
    for n in range(25):
        await telegram.send_text(group, f"Hallo Leute, Nachricht {n}", chat_type="supergroup", user_id=600 + n % 5)
    mention = "@foerder_test_bot Wann ist die Frist?"
    entities = [{"type": "mention", "offset": 0, "length": 17}]
    await telegram.send_text(group, mention, chat_type="supergroup", user_id=601, entities=entities)
    (reply,) = await telegram.replies(group)
    assert "17. Februar 2017" in reply["text"]
    await telegram.settled()
    assert not any("sehr schnell" in m["text"] for m in telegram.sent_to(group))


async def test_one_slow_chat_does_not_stall_others_and_order_is_kept(telegram):
    for n in range(5):
        await telegram.send_text(1001, f"Frist? {n}")
        await telegram.send_text(1002, "Hallo")
    await telegram.replies(1001, 5)
    await telegram.replies(1002, 5)


async def test_reload_is_for_admins_only(telegram, kb):
    await telegram.send_text(PRIVATE, "/neuladen", user_id=PRIVATE)
    await telegram.send_text(7, "/neuladen", user_id=7)
    (refused,) = await telegram.replies(PRIVATE)
    (done,) = await telegram.replies(7)
    assert "/themen" in refused["text"]  # anyone else gets the normal help
    assert done["text"].startswith(f"Wissensbasis neu geladen: {len(kb.entries)} Einträge")


async def test_replies_over_4096_characters_are_split(telegram, knowledge_copy):
    path = knowledge_copy / "entries" / "smalltalk.yaml"
    long_answer = " ".join(f"Satz {n} einer sehr langen Antwort." for n in range(400))
    text = path.read_text(encoding="utf-8").replace("Gern geschehen! Fragen Sie jederzeit wieder.", long_answer)
    path.write_text(text, encoding="utf-8")
    assert not (await services(telegram.application.bot_data).reload()).errors

    await telegram.send_text(PRIVATE, "Danke")
    await telegram.wait_until(lambda: len(telegram.sent_to(PRIVATE)) >= 4)
    await telegram.settled()
    pieces = telegram.sent_to(PRIVATE)
    assert all(len(p["text"]) <= MessageLimit.MAX_TEXT_LENGTH for p in pieces)
    joined = " ".join(p["text"] for p in pieces)
    assert "Satz 0 einer" in joined and "Satz 399 einer" in joined
    assert [bool(p.get("reply_markup")) for p in pieces] == [False] * (len(pieces) - 1) + [True]


async def test_a_broken_knowledge_base_on_reload_keeps_the_running_one(telegram, knowledge_copy):
    core = services(telegram.application.bot_data)
    running_version = core.knowledge.kb.version
    (knowledge_copy / "entries" / "region.yaml").write_text("- id: kaputt\n  topic: [\n", encoding="utf-8")
    await telegram.send_text(7, "/neuladen", user_id=7)
    (reply,) = await telegram.replies(7)
    assert "bleibt bei der bisherigen Version" in reply["text"]
    assert "region.yaml:2" in reply["text"] or "region.yaml:3" in reply["text"]
    assert core.knowledge.kb.version == running_version
    await telegram.send_text(7, "Frist?", user_id=7)
    assert "17. Februar 2017" in (await telegram.replies(7, 2))[-1]["text"]


def votes(data_dir) -> list[tuple[str, str]]:
    with sqlite3.connect(database_path(data_dir)) as connection:
        return connection.execute("SELECT kind, entry FROM events WHERE kind IN ('up', 'down')").fetchall()


async def test_one_vote_per_question_for_the_answer_shown_and_only_by_the_asker(telegram):
    await telegram.send_text(PRIVATE, "Frist?")
    (reply,) = await telegram.replies(PRIVATE)
    up, down = (data for _, data in buttons(reply)[-2:])
    for _ in range(5):  # the same 👍 again and again
        await telegram.press(PRIVATE, up, reply["message_id"])
    await telegram.press(PRIVATE, down, reply["message_id"])  # changed their mind: the last one counts
    await telegram.press(PRIVATE, up.rsplit(":", 1)[0] + ":kontakt", reply["message_id"])  # not the answer shown
    group, asker, other = -100888, 881, 882
    await telegram.send_text(group, "@foerder_test_bot Frist?", user_id=asker, chat_type="supergroup",
                             entities=[{"type": "mention", "offset": 0, "length": 17}])  # fmt: skip
    (answer,) = await telegram.replies(group)
    await telegram.press(group, buttons(answer)[-2][1], answer["message_id"], user_id=other)  # not theirs
    await telegram.wait_until(lambda: len(telegram.callback_answers) >= 8)
    await services(telegram.application.bot_data).querylog.flush()
    assert votes(telegram.data_dir) == [("down", up.rsplit(":", 1)[1])]
    # the other member is told whose button it is, not that it no longer works
    assert telegram.callback_answers[-1]["text"] == "Diese Schaltfläche gehört zur Nachricht einer anderen Person."
