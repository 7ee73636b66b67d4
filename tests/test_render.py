from __future__ import annotations

from datetime import datetime

import pytest

from bot.engine.render import deadline_sentence, render, time_left
from bot.knowledge.placeholders import DEADLINE_PLACEHOLDERS, PLACEHOLDERS


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2017-01-20T10:00:00+01:00", "noch 4 Wochen"),
        ("2016-11-19T10:00:00+01:00", "noch mehr als 2 Monate"),  # 90 days: 19 Nov + 3 months is after 17 Feb
        ("2014-02-17T10:00:00+01:00", "noch mehr als 2 Jahre"),
        ("2017-01-01T10:00:00+01:00", "noch mehr als 6 Wochen"),  # 47 days (Babel's rounding: "2 Monate")
        ("2017-02-06T10:00:00+01:00", "noch 11 Tage"),  # Babel's rounding: "2 Wochen"
        ("2017-02-14T10:00:00+01:00", "noch 3 Tage"),
        ("2017-02-16T10:00:00+01:00", "noch 1 Tag"),
        ("2017-02-17T23:30:00+01:00", "nur noch heute"),
        ("2017-02-18T00:00:00+01:00", "abgelaufen"),
        ("2026-11-29T12:00:00+01:00", "abgelaufen"),
    ],
)
def test_time_left(kb, moment, expected):
    assert time_left(kb.call.main_deadline, at(moment)) == expected


def test_deadline_day_follows_the_calls_time_zone(kb):
    # 23:30 UTC on the 17th is already the 18th in Berlin: the deadline has passed.
    assert time_left(kb.call.main_deadline, at("2017-02-17T23:30:00+00:00")) == "abgelaufen"


def test_sentences_before_on_and_after_the_deadline(kb):
    deadline = kb.call.main_deadline
    assert deadline_sentence(deadline, at("2017-01-20T10:00:00+01:00")) == (
        "Die Frist endet am 17. Februar 2017 – Sie haben noch 4 Wochen Zeit."
    )
    assert "morgen, am 17. Februar 2017" in deadline_sentence(deadline, at("2017-02-16T09:00:00+01:00"))
    assert "heute, am 17. Februar 2017" in deadline_sentence(deadline, at("2017-02-17T09:00:00+01:00"))
    closed = deadline_sentence(deadline, at("2017-03-01T09:00:00+01:00"))
    assert closed.startswith("Die Frist ist am 17. Februar 2017 abgelaufen")


def test_unknown_placeholders_stay_visible(kb):
    text = render("Datum: {frist_datum}, {gibtsnicht}, {frist_datum:nope}", kb.call, at("2017-01-01T00:00:00+01:00"))
    assert text == "Datum: 17. Februar 2017, {gibtsnicht}, {frist_datum:nope}"


def test_every_documented_placeholder_is_rendered(kb):
    deadline_id = kb.call.main_deadline.id
    for name in PLACEHOLDERS:
        for written in [f"{{{name}}}"] + ([f"{{{name}:{deadline_id}}}"] if name in DEADLINE_PLACEHOLDERS else []):
            text = render(written, kb.call, at("2017-01-01T00:00:00+01:00"))
            assert text and "{" not in text, written


def test_contact_placeholder_lists_the_calls_contacts(kb):
    text = render("{kontakt}", kb.call, at("2017-01-01T00:00:00+01:00"))
    assert all(contact.name in text for contact in kb.call.contacts)


INVITATIONS = ("reichen sie", "bewerben sie", "sie haben noch", "/erinnerung")


def test_no_answer_invites_anyone_after_the_deadline(engine):
    after = at("2017-03-01T12:00:00+01:00")
    for entry in engine.kb.entries:
        text = engine.answer(entry, after).text.casefold()
        assert not any(phrase in text for phrase in INVITATIONS), entry.id


def test_closed_answer_replaces_the_inviting_one(engine):
    entry = engine.kb.by_id["verfahren-bewerben"]
    before = engine.answer(entry, at("2017-01-20T10:00:00+01:00")).text
    after = engine.answer(entry, at("2017-03-01T10:00:00+01:00")).text
    assert "Sie reichen Ihre Projektidee" in before
    assert "abgelaufen" in after and "Sie reichen" not in after
