"""A message naming the call is read with the name as the plain word for a call, too."""

from __future__ import annotations

import pytest

from bot.engine import Engine, Outcome
from bot.engine.callname import CallName

GROUPS = [("Frist", "Deadline"), ("Wettbewerb", "Aufruf", "Stadtlabor 2030")]


@pytest.fixture
def name() -> CallName:
    """Another call than Umbau 21: nothing here may depend on the shipped knowledge."""
    return CallName(("Stadtlabor 2030 – Neue Mitte", "Stadtlabor 2030"), GROUPS)


@pytest.mark.parametrize(
    ("message", "plain"),
    [
        ("Darf ein Verein beim Stadtlabor 2030 mitmachen?", "Darf ein Verein beim Wettbewerb mitmachen?"),
        ("Bis wann läuft Stadtlabor 2030 – Neue Mitte?", "Bis wann läuft Wettbewerb?"),  # the full name at once
        ("Passt das zu neue mitte?", "Passt das zu Wettbewerb?"),  # a part of the name, in lower case
        ("Wer steckt hinter stadtlabor2030?", "Wer steckt hinter Wettbewerb?"),  # written together
        ("Wo finde ich die Neue-Mitte-Unterlagen?", "Wo finde ich die Unterlagen?"),  # first part of a compound
    ],
)
def test_the_name_is_read_as_the_first_other_word_of_its_synonym_group(name, message, plain):
    assert name.plain(message) == plain


@pytest.mark.parametrize("message", ["Wie hoch ist die Förderquote?", "Gilt das für Stadtlabor 20305?", ""])
def test_a_message_without_the_name_stays_as_it_is(name, message):
    assert name.plain(message) == message


def test_without_a_synonym_group_the_plain_word_is_aufruf():
    assert CallName(("Stadtlabor 2030",)).plain("Ist Stadtlabor 2030 offen?") == "Ist Aufruf offen?"


def test_naming_the_call_does_not_pull_a_question_away_from_its_entry(engine, before):
    """The name is the address, not the subject: the deadline question is as sure with it as the
    meaning signal would make it without (measured: 0.90 with the plain reading, 0.83 without)."""
    message = "Bis wann muss die Skizze für Smart Region eingereicht sein?"
    literal = Engine(engine.kb, engine.thresholds)
    literal.call_name = CallName(())  # a call without a name: the message is read only as written
    with_plain, only_literal = engine.reply(message, before), literal.reply(message, before)
    assert with_plain.outcome is Outcome.ANSWER
    assert with_plain.entry.id == only_literal.entry.id == "frist-bewerbungsschluss"
    assert with_plain.confidence > only_literal.confidence


def test_questions_about_the_call_itself_still_find_the_entry_that_carries_its_name(engine, before):
    reply = engine.reply("Was ist eigentlich Umbau 21?", before)
    assert reply.outcome is Outcome.ANSWER
    assert reply.entry.id == "umbau21-was"


def test_the_name_in_a_question_does_not_decide_its_words_either(engine, before):
    """Word overlap, too, reads the name as the plain word when that explains the question better:
    "Smart" and "Region" are rare words that only the entries about the call itself share."""
    message = "Bis wann können wir unsere Skizze für Smart Region einreichen?"
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "frist-bewerbungsschluss"
    literal = Engine(engine.kb, engine.thresholds)
    literal.call_name = CallName(())
    assert literal.reply(message, before).entry != reply.entry  # read only as written, it went elsewhere
    for about_the_call in ("Worum geht es bei Smart Region?", "Was ist das Netzwerk Smart Region Emscher-Lippe?"):
        assert engine.reply(about_the_call, before).entry.topic == "background"


@pytest.mark.parametrize("message", ["Smart Region?", "Smart Region"])
def test_the_name_alone_keeps_its_literal_reading(engine, before, message):
    """Read as "Aufruf?" alone, the name matched an unrelated entry word for word."""
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic in ("background", "scope")


@pytest.mark.parametrize(
    ("message", "addressed"),
    [
        # the compound ends in a word for a call, inflected or spelt without umlauts: the name only says which
        ("Kann ein Verein beim Neue-Mitte-Wettbewerb mitmachen?", "Kann ein Verein beim Wettbewerb mitmachen?"),
        ("Gilt die Frist des Stadtlabor-2030-Wettbewerbs?", "Gilt die Frist des Wettbewerbs?"),
        ("Wo finde ich die Neue-Mitte-Unterlagen?", "Wo finde ich die Neue-Mitte-Unterlagen?"),  # which documents
        (
            "Was ist der Unterschied zwischen Neue Mitte und dem Stadtlabor-2030-Aufruf?",
            "Was ist der Unterschied zwischen Neue Mitte und dem Aufruf?",
        ),  # the name alone stays
    ],
)
def test_the_name_is_left_out_where_it_only_addresses_the_call(name, message, addressed):
    assert name.addressed(message) == addressed


def test_a_question_addressed_to_the_call_in_a_compound_is_about_its_last_words(engine, before):
    # Read literally, "Smart-Region-Aufruf" matched the phrasings that name the call and the
    # question got the entry on when the call started.
    reply = engine.reply("Bis zu welchem Tag mussten Skizzen für den Smart-Region-Wettbewerb vorliegen?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "deadline"


@pytest.mark.parametrize(
    "message",
    [
        "Was ist der Unterschied zwischen Umbau 21 und dem Smart-Region-Aufruf?",
        "Wer steckt hinter dem Umbau-21-Wettbewerb?",
    ],
)
def test_a_question_about_the_call_named_in_a_compound_still_finds_the_entry_about_it(engine, before, message):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "background"


def test_without_a_synonym_group_for_the_name_the_words_for_a_call_come_from_the_plain_words_group():
    name = CallName(("Stadtlabor 2030",), [("Frist", "Deadline"), ("Aufruf", "Wettbewerb")])
    assert (
        name.addressed("Wer darf beim Stadtlabor-2030-Wettbewerb mitmachen?") == "Wer darf beim Wettbewerb mitmachen?"
    )
