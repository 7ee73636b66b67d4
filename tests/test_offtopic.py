"""off_topic.yaml: words that give away a message about something else, such as a job application."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Engine, Outcome, wording
from bot.engine.offtopic import OffTopic
from bot.knowledge import read_knowledge

REVIEWED_BEFORE = date(2026, 11, 29)
"""A day the shipped entries count as reviewed: no review warnings mixed into the results."""
JOB = "Ich habe mich auf eine ausgeschriebene Stelle bei der Stadt beworben. Bis wann läuft die Bewerbungsfrist?"


def write_off_topic(root: Path, text: str) -> None:
    (root / "off_topic.yaml").write_text(text, encoding="utf-8")


def off_topic_problems(root: Path) -> list[str]:
    return [str(p) for p in read_knowledge(root, REVIEWED_BEFORE)[1] if "off_topic.yaml" in str(p)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("stellen: [Job]\n", 1, ["muss eine Liste sein"]),
        ("- Lebenslauf\n- 42\n", 2, ["„42“ ist kein Wort"]),
        ("- Lebenslauf\n- [Job]\n", 2, ["ist kein Wort"]),
        ("- [Lebenslauf\n", None, ["YAML-Syntaxfehler"]),
        ("- Lebenslauf\n- \n", 2, ["leere Zeile mit „- “"]),  # not "„None“ ist kein Wort"
    ],
)
def test_kb_check_names_line_and_mistake_in_the_list(knowledge_copy, text, line, words):
    write_off_topic(knowledge_copy, text)
    (problem,) = off_topic_problems(knowledge_copy)
    if line is not None:
        assert f"off_topic.yaml:{line}: Fehler" in problem
    assert all(word in problem for word in words), problem


def test_a_word_listed_twice_is_only_a_warning(knowledge_copy):
    write_off_topic(knowledge_copy, "- Lebenslauf\n- Praktikumsplatz\n- lebenslauf\n")
    kb, problems = read_knowledge(knowledge_copy, REVIEWED_BEFORE)
    (problem,) = [str(p) for p in problems if "off_topic.yaml" in str(p)]
    assert "off_topic.yaml:3: Warnung" in problem and "Zeile 1" in problem
    assert kb is not None and kb.off_topic == ("lebenslauf", "praktikumsplatz")


def test_without_the_file_nothing_is_off_topic(knowledge_copy):
    (knowledge_copy / "off_topic.yaml").unlink()
    kb, problems = read_knowledge(knowledge_copy, REVIEWED_BEFORE)
    assert kb is not None and kb.off_topic == () and problems == []


def test_kb_check_warns_when_an_entry_phrasing_holds_a_listed_word(knowledge_copy, capsys):
    write_off_topic(knowledge_copy, "- Förderquote\n")
    assert main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"]) == 0
    warnings = [line for line in capsys.readouterr().out.splitlines() if "enthält „förderquote“" in line]
    assert warnings and all("entries/funding.yaml:" in line and ": Warnung:" in line for line in warnings)
    assert any("„Welche Förderquote gilt?“" in line for line in warnings)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Ich suche einen Praktikumsplatz.", "Praktikumsplatz"),
        ("Wie läuft ein Vorstellungsgesprach ab?", "Vorstellungsgespräch"),  # written without the umlaut
        ("Gibt es OFFENE STELLEN bei der Stadt?", "offene Stellen"),
        ("Wir stellen als Verbund einen Antrag.", None),  # "stellen" alone is the call's own word
        ("Ich suche Praktikumsplätze für Studierende im Projekt.", None),  # another word form
    ],
)
def test_words_are_compared_whole_in_any_case_and_with_or_without_umlauts(text, found):
    listed = OffTopic(["Praktikumsplatz", "Vorstellungsgespräch", "offene Stellen"])
    assert listed.mentioned(text) == found


def test_a_job_application_is_not_answered_from_the_entries(engine, before):
    reply = engine.reply(JOB, before)
    assert reply.outcome is Outcome.FALLBACK
    assert reply.note == wording.OTHER_SUBJECT.format(call=engine.kb.call.name)
    # Without the list the same message reads as a question about the call's deadline.
    unlisted = Engine(replace(engine.kb, off_topic=()), engine.thresholds)
    assert unlisted.reply(JOB, before).outcome is Outcome.ANSWER


def test_the_shipped_list_leaves_questions_about_the_call_alone(engine, before):
    for question in ("Schafft das Projekt neue Jobs?", "Wo stelle ich den formellen Antrag?", "Bin ich zu spät dran?"):
        assert engine.reply(question, before).outcome is Outcome.ANSWER, question


def test_asking_for_the_time_is_not_a_question_about_the_deadline(engine, before):
    # "spät" is the call's word in "Bin ich zu spät dran?"; "Wie spät ist es?" got the deadline's status
    reply = engine.reply("Hallo, wie spät ist es eigentlich?", before)
    assert reply.outcome is Outcome.FALLBACK and reply.note == wording.OTHER_SUBJECT.format(call=engine.kb.call.name)


def test_an_off_topic_message_is_no_follow_up_either(engine, before):
    previous = engine.reply("Bis wann läuft die Frist?", before)
    assert engine.reply("Und für den Praktikumsplatz?", before, previous).outcome is Outcome.FALLBACK
