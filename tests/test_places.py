"""Places in a message: an answer about who may take part says whether the place lies in the region."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from test_knowledge import line_of, problems_of, replace_in

from bot.domain import Outcome
from bot.engine import Engine
from bot.engine.places import PlaceNames, with_places
from bot.engine.render import places_sentence
from bot.knowledge import read_knowledge

OUTSIDE = "gehört nicht zum Gebiet des Aufrufs (Emscher-Lippe-Region)."


@pytest.fixture(scope="module")
def places(kb) -> PlaceNames:
    return PlaceNames(kb.call.places)


@pytest.mark.parametrize(
    ("message", "found"),
    [
        ("Wir sitzen in Münster.", [("Münster", False)]),
        ("Ist Haltern dabei?", [("Haltern am See", True)]),  # the short name of a listed place
        ("Wir haben mit der Bezirksregierung Münster telefoniert.", []),  # an authority's seat
        ("Liegt die Region im Regierungsbezirk Münster?", []),
        ("wir sind aus muenster", [("Münster", False)]),  # lower case, without umlaut, after "aus"
        ("MÜNSTER", [("Münster", False)]),
        ("Firma aus Haltern am See und Partner in Essen", [("Haltern am See", True), ("Essen", False)]),
        ("aus Herten, Herten ist schön", [("Herten", True)]),  # each place once
        ("We are a start-up from Bochum", [("Bochum", False)]),
        ("essen gehen wir danach", []),  # lower case without a word that places it: the verb
        ("Wir sind aus Kirchhellen", []),  # not listed: nothing is said about it
    ],
)
def test_listed_places_are_found_however_a_chat_writes_them(places, message, found):
    assert [(p.name, p.inside) for p in places.named(message)] == found


def test_several_places_are_listed_in_one_sentence():
    assert places_sentence("Region X", ["A", "B"], []) == "A und B gehören zum Gebiet des Aufrufs (Region X)."
    assert places_sentence("Region X", [], ["C"]) == "C gehört nicht zum Gebiet des Aufrufs (Region X)."
    assert (
        places_sentence("Region X", ["A"], ["C", "D"]) == "A gehört zum Gebiet des Aufrufs (Region X), C und D nicht."
    )


def test_only_names_places_and_the_words_between_them(places):
    assert [p.name for p in places.only("aus Lünen oder Kamen")] == []  # Kamen is not listed
    assert [p.name for p in places.only("aus Lünen oder aus Dortmund")] == ["Lünen", "Dortmund"]
    assert places.only("Lünen und die Pizza") == []
    assert PlaceNames(None).named("Wir sind aus Münster") == []  # a call without places


@pytest.mark.parametrize(
    ("message", "notice"),
    [
        ("Wir sitzen in Münster. Dürfen wir uns bewerben?", f"Münster {OUTSIDE}"),
        ("Wir sind ein Verein aus Herten. Können wir mitmachen?", "Herten gehört zum Gebiet des Aufrufs"),
        (
            "Wir sind aus Herten und wollen mit einer Firma aus Essen kooperieren, geht das?",
            "Herten gehört zum Gebiet des Aufrufs (Emscher-Lippe-Region), Essen nicht.",
        ),
        ("Wir sind eine Hochschule in Münster. Dürfen wir mitmachen?", f"Münster {OUTSIDE}"),
        ("Gehört Marl zur Region?", "Marl gehört zum Gebiet des Aufrufs"),
    ],
)
def test_an_answer_about_taking_part_says_whether_the_place_belongs(engine, before, message, notice):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.body.startswith(notice), reply.text


def test_a_writers_name_is_no_place(engine, before):
    reply = engine.reply(
        "Mein Name ist Hagen Schulz, wir sind eine Firma aus Gladbeck. Dürfen wir uns bewerben?", before
    )
    assert (
        reply.body.startswith("Gladbeck gehört zum Gebiet des Aufrufs (Emscher-Lippe-Region).")
        and "Hagen" not in reply.body
    )
    assert "Hagen" not in engine.reply("Wer darf sich bewerben? LG Hagen", before).text


def test_only_answers_that_depend_on_origin_get_the_notice(engine, before):
    reply = engine.reply("Wir sind aus Münster. Bis wann können wir uns bewerben?", before)
    assert reply.entry.topic == "deadline" and "Münster" not in reply.text


def test_after_the_deadline_the_closed_notice_comes_first(engine):
    closed = datetime.fromisoformat("2017-03-01T10:00:00+01:00")
    reply = engine.reply("Wir sitzen in Münster. Dürfen wir uns bewerben?", closed)
    assert reply.body.startswith("Der Aufruf ist geschlossen.")
    assert reply.body.count(f"Münster {OUTSIDE}") == 1


def test_a_follow_up_naming_a_place_asks_the_same_about_it(engine, before):
    first = engine.reply("Wir sind eine Firma aus Herten. Dürfen wir mitmachen?", before)
    follow = engine.reply("Und Lünen?", before, previous=first)
    assert follow.entry == first.entry and follow.body.startswith(f"Lünen {OUTSIDE}")
    assert engine.reply("Und Pizza?", before, previous=first).outcome is not Outcome.ANSWER
    # in lower case without "aus" a name is no sure place: no answer repeated without its sentence
    lower = engine.reply("und lünen?", before, previous=first)
    assert lower.entry != first.entry or "Lünen gehört nicht" in lower.body


def test_after_an_answer_about_the_region_another_place_is_read_anew(engine, before):
    """ "Und Haltern?" after "Ist Münster dabei?" must not repeat "Münster is outside" for Haltern."""
    first = engine.reply("Ist Münster dabei?", before)
    follow = engine.reply("Und Haltern?", before, previous=first)
    assert follow.body.startswith("Haltern am See gehört zum Gebiet des Aufrufs (Emscher-Lippe-Region).")
    assert "Nein" not in follow.body


def test_a_knowledge_base_without_places_says_nothing_about_them(kb, before):
    engine = Engine(replace(kb, call=replace(kb.call, places=None)))
    reply = engine.reply("Wir sitzen in Münster. Dürfen wir uns bewerben?", before)
    assert reply.outcome is Outcome.ANSWER and "Münster" not in reply.text


def test_places_are_checked_like_the_rest(knowledge_copy):
    call = knowledge_copy / "call.yaml"
    replace_in(call, "outside: [Dortmund,", "outside: [Marl, Dortmund,")
    replace_in(
        call, "  sources:\n    - url: https://de.wikipedia.org", "  source_list:\n    - url: https://de.wikipedia.org"
    )
    found = problems_of(knowledge_copy)
    line = line_of(call, "outside: [Marl,")
    assert any(f"call.yaml:{line}: Fehler: „Marl“ steht in „inside“ und in „outside“" in p for p in found), found
    assert any("unbekannter Schlüssel „source_list“ in „places“" in p for p in found), found
    assert any("„places“ braucht „sources:“" in p for p in found), found
    kb, _ = read_knowledge(knowledge_copy)
    assert kb is None or kb.call.places is None


@pytest.mark.parametrize("message", ["Gehört Lünen zur Region?", "Ist Münster dabei?"])
def test_a_listed_place_is_a_word_of_the_entries_that_name_places_like_it(engine, before, message):
    """Lünen is listed outside in call.yaml; the entry on places outside names only Dortmund, Essen …"""
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "region"
    assert OUTSIDE in reply.body


def test_only_entries_that_name_a_listed_place_take_the_list(kb):
    extended = {entry.id: entry for entry in with_places(kb).entries}
    outside = extended["region-nicht"].keywords
    assert "Lünen" in outside and "Münster" in outside and "Herten" not in outside
    assert extended["frist-bewerbungsschluss"].keywords == next(
        e.keywords for e in kb.entries if e.id == "frist-bewerbungsschluss"
    )
