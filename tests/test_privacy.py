"""DSGVO: redaction before storage, access (/meinedaten), erasure (/vergessen), the privacy text."""

from __future__ import annotations

import sqlite3

import pytest

from bot.personal import redact
from bot.store.database import database_path
from bot.telegram.context import services


@pytest.mark.parametrize(
    ("text", "kept", "removed"),
    [
        ("Meine Mail: anna.mueller@firma-x.de", "[E-Mail]", "anna.mueller"),
        ("Rufen Sie mich an: 0209 123456-78", "[Telefon]", "123456"),
        ("Tel. +49 (0)209 / 12 34 56", "[Telefon]", "12 34 56"),
        ("Mobil 0176 1234567", "[Telefon]", "1234567"),
        ("Rückruf unter (0201) 123 4567", "[Telefon]", "4567"),
        ("Tel. 0201.1234567", "[Telefon]", "1234567"),
        ("Tel.: 0201/123 45 67 oder (0209) 98765", "[Telefon]", "98765"),
        ("IBAN DE89 3704 0044 0532 0130 00", "[IBAN]", "3704"),
        ("IBAN DE89370400440532013000", "[IBAN]", "370400"),
        ("Steuer-ID 12 345 678 901", "[Steuer-ID]", "678"),
        ("Steuernummer 319/5678/12345", "[Steuernummer]", "5678"),
        ("USt-IdNr. DE123456789", "[Steuernummer]", "123456789"),
    ],
)
def test_personal_data_is_redacted(text, kept, removed):
    assert kept in redact(text) and removed not in redact(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wann ist die Frist am 17.02.2017?",
        "Gibt es 30 Millionen Euro?",
        "Umbau 21 in 45897 Gelsenkirchen",
        "Frist 2017-02-17",
        "Aktenzeichen 2017-0123-4567",
        "Termin am 01.02.2017 um 10.30 Uhr",
        "Förderquote (0,5) und 0.75 Mio",
        "Az. 12-0815-4711",
    ],
)
def test_ordinary_questions_are_left_alone(text):
    assert redact(text) == text


def stored_texts(data_dir) -> list[str]:
    with sqlite3.connect(database_path(data_dir)) as connection:
        return [text for (text,) in connection.execute("SELECT text FROM questions")]


async def test_logged_questions_are_redacted(telegram):
    await telegram.send_text(601, "Ich bin anna@example.org, Tel. 0209 1234567 – wann ist die Frist?")
    await telegram.replies(601)
    await services(telegram.application.bot_data).querylog.flush()
    (text,) = stored_texts(telegram.data_dir)
    assert "anna@example.org" not in text and "1234567" not in text
    assert "[E-Mail]" in text and "[Telefon]" in text and "wann ist die Frist?" in text


async def test_my_data_and_forget(telegram):
    me, other = 602, 603
    for text in ("Wann ist die Frist?", "Wer darf sich bewerben?"):
        await telegram.send_text(me, text)
    await telegram.send_text(other, "Hallo")
    await telegram.send_text(me, "/erinnerung")
    await telegram.replies(me, 3)
    first = telegram.sent_to(me)[0]
    await telegram.press(me, first["reply_markup"]["inline_keyboard"][-1][0]["callback_data"], first["message_id"])
    await telegram.replies(other)
    await telegram.wait_until(lambda: telegram.callback_answers)

    await telegram.send_text(me, "/meinedaten")
    mine = (await telegram.replies(me, 4))[-1]["text"]
    assert "2 Fragen im Protokoll" in mine and "Wer darf sich bewerben?" in mine
    assert "– Wann ist die Frist? (👍)" in mine  # the vote is stored with the question: shown too
    assert "angemeldet seit" in mine and "/vergessen" in mine

    await telegram.send_text(me, "/vergessen")
    confirm = (await telegram.replies(me, 5))[-1]
    assert [b["callback_data"] for b in confirm["reply_markup"]["inline_keyboard"][0]] == ["v:ja", "v:nein"]
    await telegram.press(me, "v:ja", confirm["message_id"])
    await telegram.wait_until(lambda: any("Gelöscht" in e.get("text", "") for e in telegram.edits))
    done = next(e["text"] for e in telegram.edits if "Gelöscht" in e.get("text", ""))
    assert done.startswith("Gelöscht: 2 Fragen, 1 Bewertung oder Auswahl, 1 Erinnerungs-Abo.")

    await telegram.press(me, "v:ja", confirm["message_id"])  # again: nothing left, no error
    await telegram.wait_until(lambda: sum("Gelöscht" in e.get("text", "") for e in telegram.edits) == 2)
    assert [e["text"] for e in telegram.edits if "Gelöscht" in e.get("text", "")][-1].startswith("Gelöscht: 0 Fragen")

    assert stored_texts(telegram.data_dir) == ["Hallo"]  # the other person's question stays
    with sqlite3.connect(database_path(telegram.data_dir)) as connection:
        assert connection.execute("SELECT count(*) FROM subscriptions").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM events").fetchone() == (0,)
    await telegram.send_text(me, "/meinedaten")
    assert "0 Fragen im Protokoll" in (await telegram.replies(me, 6))[-1]["text"]


async def test_cancelled_forget_deletes_nothing(telegram):
    await telegram.send_text(604, "Frist?")
    await telegram.send_text(604, "/vergessen")
    confirm = (await telegram.replies(604, 2))[-1]
    await telegram.press(604, "v:nein", confirm["message_id"])
    await telegram.wait_until(lambda: any(e.get("text") == "Nichts gelöscht." for e in telegram.edits))
    await services(telegram.application.bot_data).querylog.flush()
    assert stored_texts(telegram.data_dir) == ["Frist?"]


async def test_in_a_group_only_who_asked_can_confirm_forgetting(telegram):
    """Another member's "Ja, alles löschen" deleted that member's data and told the group the asker's was gone."""
    group, asker, other = -100606, 606, 607
    await telegram.send_text(group, "/vergessen", chat_type="supergroup", user_id=asker)
    (confirm,) = await telegram.replies(group)
    await telegram.press(group, "v:ja", confirm["message_id"], user_id=other)
    await telegram.wait_until(lambda: telegram.callback_answers)
    assert telegram.callback_answers[-1]["text"] == "Diese Schaltfläche gehört zur Nachricht einer anderen Person."
    assert telegram.edits == []  # the prompt stays for the one who asked
    await telegram.press(group, "v:ja", confirm["message_id"], user_id=asker)
    await telegram.wait_until(lambda: any("Gelöscht" in e.get("text", "") for e in telegram.edits))


async def test_privacy_text_names_what_why_how_long_who_and_rights(telegram, kb):
    await telegram.send_text(605, "/datenschutz")
    (text,) = (m["text"] for m in await telegram.replies(605))
    for part in (
        "pseudonym",
        "Chat-ID",
        "Wozu",
        "180 Tage",
        kb.call.responsible,
        "/meinedaten",
        "/vergessen",
        "Art. 15",
    ):
        assert part in text


@pytest.mark.settings(retention_days=1)
async def test_a_retention_of_one_day_is_said_in_the_singular(telegram):
    await telegram.send_text(607, "/datenschutz")
    assert "Fragen 1 Tag, danach" in (await telegram.replies(607))[0]["text"]
    await telegram.send_text(607, "/meinedaten")
    assert "gelöscht nach 1 Tag)" in (await telegram.replies(607, 2))[-1]["text"]


async def test_my_data_is_shown_only_in_private_chat(telegram):
    me, group = 606, -100606
    await telegram.send_text(me, "Geheime Frage zu meinem Projekt")
    await telegram.replies(me)
    await telegram.send_text(group, "/meinedaten", user_id=me, chat_type="supergroup")
    anonymous_admin = telegram.user_message(group, "/meinedaten", chat_type="supergroup")
    del anonymous_admin["from"]  # an anonymous group admin: Telegram sends no `from`
    anonymous_admin["sender_chat"] = {"id": group, "type": "supergroup", "title": "Gruppe"}
    await telegram.push({"message": anonymous_admin})
    pointers = [m["text"] for m in await telegram.replies(group, 2)]
    for text in pointers:
        assert "nur im privaten Chat" in text and "t.me/foerder_test_bot" in text
        assert "Geheime Frage" not in text


async def test_forgotten_questions_are_gone_from_the_files_too(telegram):
    me, secret = 607, "Projekt Zauberlehrling am Kanalufer"
    await telegram.send_text(me, secret)
    await telegram.send_text(me, "/vergessen")
    confirm = (await telegram.replies(me, 2))[-1]
    await services(telegram.application.bot_data).querylog.flush()
    await telegram.press(me, "v:ja", confirm["message_id"])
    await telegram.wait_until(lambda: any("Gelöscht" in e.get("text", "") for e in telegram.edits))
    path = database_path(telegram.data_dir)
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            assert secret.encode() not in file.read_bytes(), file.name
