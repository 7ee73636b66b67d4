"""Questions about another funding programme are told apart from questions about the call."""

from __future__ import annotations

import pytest

from bot.engine import Outcome
from bot.engine.programmes import ProgrammeNames

KNOWN = {"förderquote", "frist", "hochschulen", "zuschüsse", "efre", "teil", "kosten"}
GROUPS = [("Frist", "Deadline"), ("Aufruf", "Programm", "Förderprogramm", "Wettbewerb", "Stadtlabor 2030")]


@pytest.fixture
def names() -> ProgrammeNames:
    """Another call than Umbau 21: nothing here may depend on the shipped knowledge."""
    return ProgrammeNames(("Stadtlabor 2030 – Neue Mitte", "Stadtlabor 2030"), GROUPS, lambda w: w.casefold() in KNOWN)


@pytest.mark.parametrize(
    "question",
    [
        "Wie hoch ist die Förderquote beim Programm Digital Jetzt?",  # a name after the programme word
        "Wie hoch ist der Zuschuss beim KfW-Programm?",  # a name before it
        "Gibt es beim Bundesprogramm go-digital Zuschüsse?",  # a compound programme word
        "Wann endet die Frist für den EFRE-Aufruf Regio.NRW?",  # a known prefix, an unknown name after
    ],
)
def test_a_programme_named_by_an_unknown_name_is_another_programme(names, question):
    assert names.other_programme(question)


@pytest.mark.parametrize(
    "question",
    [
        "Wie hoch ist die Förderquote?",
        "Fördert das Programm Hochschulen?",  # a known word after the programme word
        "Ist das Programm Teil von etwas Größerem?",
        "Worum geht es im Programm Neue Mitte?",  # the call's own name
        "Kann ich Stadtlabor 2030 mit dem KfW-Programm kombinieren?",  # the call is named too
        "Wann startet der Aufruf?",
    ],
)
def test_the_call_itself_or_a_known_word_is_not_another_programme(names, question):
    assert not names.other_programme(question)


def test_without_a_synonym_group_for_the_call_nothing_is_another_programme():
    names = ProgrammeNames(("Stadtlabor 2030",), [("Frist", "Deadline")], lambda w: False)
    assert not names.other_programme("Wie hoch ist der Zuschuss beim KfW-Programm?")


def test_the_bot_says_it_knows_only_its_call(engine, before):
    reply = engine.reply("Wie hoch ist die Förderquote beim Programm Digital Jetzt?", before)
    assert reply.outcome is Outcome.FALLBACK and not reply.entries
    assert engine.kb.call.name in reply.text.splitlines()[0]
    assert engine.kb.call.documents_url in reply.text
