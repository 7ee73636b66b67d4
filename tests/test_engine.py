from __future__ import annotations

from datetime import datetime

import pytest

from bot.engine import Outcome
from bot.engine.answer import KEPT_START, MAX_QUESTION_CHARS, clean_question


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   ",
        "🙂🙂🙂",
        "die der das und oder ich",
        "123 456 2017",
        "?!?!",
        "\x00\x01\u202e",
    ],
)
def test_nothing_to_go_on_falls_back(engine, before, question):
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.FALLBACK
    assert engine.kb.call.documents_url in reply.text


def test_five_thousand_characters_are_answered_without_error(engine, before):
    reply = engine.reply("Wann ist die Bewerbungsfrist? " * 170, before)
    assert len(reply.question) <= MAX_QUESTION_CHARS  # its start and its end, joined by " … "
    assert reply.outcome is Outcome.ANSWER
    assert reply.entry.topic == "deadline"


def test_a_long_letter_with_its_question_at_the_end_is_answered(engine, before):
    about_us = (
        "Wir sind ein gemeinnütziger Verein in Herten und bieten seit vielen Jahren Kurse an, in denen "
        "ältere Menschen den Umgang mit Tablets und Smartphones lernen. "
    )
    letter = "Sehr geehrte Damen und Herren, " + about_us * 9 + "Bis wann müssen wir die Projektskizze einreichen?"
    assert len(letter) > 1200
    reply = engine.reply(letter, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "deadline"
    assert reply.question.startswith("Sehr geehrte Damen und Herren,") and " … " in reply.question


@pytest.mark.parametrize("pad", range(6))
def test_a_long_message_is_cut_between_words_and_keeps_every_whole_word(pad):
    words = [f"w{i:03d}" for i in range(400)]
    message = "x" * pad + " " + " ".join(words)
    start, end = clean_question(message).split(" … ")
    kept_start, kept_end = start.split(), end.split()
    every = message.split()
    assert kept_start == every[: len(kept_start)] and kept_end == every[-len(kept_end) :]
    # the next word would not have fitted: none was dropped at a cut that fell between two words
    assert len(" ".join(every[: len(kept_start) + 1])) > KEPT_START
    assert len(clean_question(message)) <= MAX_QUESTION_CHARS


def test_blanks_are_no_content(engine, before):
    """1,200 spaces between a question and "Danke" once pushed the question out of what was read."""
    assert clean_question("Wann ist die Frist?" + " " * 1200 + "Danke") == "Wann ist die Frist? Danke"
    assert clean_question("Hallo\n\n  \n Welt\t\tda") == "Hallo\nWelt da"
    assert engine.reply("Wann ist die Frist?" + " " * 1200 + "Danke", before).entry.topic == "deadline"


@pytest.mark.parametrize("words", [100, 300])
def test_a_long_message_of_nothing_is_not_answered_for_its_length(engine, before, words):
    """The decision model saw messages of up to 47 words; "Bla" a hundred times once got an answer."""
    assert engine.reply(" ".join(["Bla"] * words), before).outcome is Outcome.FALLBACK


@pytest.mark.parametrize(
    "question",
    [
        "Bis wann muss ich meine Steuererklärung abgeben?",
        "Welche Unterlagen brauche ich für einen Reisepass?",
        "Bis wann muss ich die Hundesteuer bezahlen?",
        "Wie beantrage ich Wohngeld?",
    ],
)
def test_out_of_scope_questions_sharing_domain_words_fall_back(engine, before, question):
    assert engine.reply(question, before).outcome is Outcome.FALLBACK


@pytest.mark.parametrize(
    "question",
    [
        "bis wann muss ich meine steuererklarung abgeben",
        "welche unterlagen brauche ich fuer einen reisepass",
        "wer darf einen bewohnerparkausweis beantragen",
    ],
)
def test_lower_case_out_of_scope_questions_fall_back_too(engine, before, question):
    # Without capitals the noun lexicon tells that "reisepass" is a thing the bot knows nothing of.
    assert engine.reply(question, before).outcome is Outcome.FALLBACK


def test_answer_carries_source_and_date(engine, before):
    reply = engine.reply("Wann ist Bewerbungsschluss?", before)
    assert reply.outcome is Outcome.ANSWER
    assert "17. Februar 2017" in reply.text
    assert f"Quelle: {reply.entry.source}" in reply.text


def test_candidates_are_sorted_and_scored_within_range(engine, before):
    reply = engine.reply("Welche Kosten werden gefördert?", before)
    scores = [c.score for c in reply.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert len(reply.candidates) >= 3


def test_a_bare_word_pair_is_asked_back_not_answered(engine, before):
    reply = engine.reply("Frist Partner", before)
    assert reply.outcome is Outcome.CLARIFY
    assert 2 <= len(reply.options) <= 3
    assert reply.text.startswith("Meinten Sie")
    assert all(option.canonical in reply.text for option in reply.options)


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        ("Wann ist die Frist und wer darf sich bewerben?", {"deadline", "eligibility"}),
        ("Bis wann läuft die Frist? Und brauche ich Partner?", {"deadline", "cooperation"}),
        ("Gehört Marl zur Region und wann ist Bewerbungsschluss?", {"deadline", "region"}),
    ],
)
def test_two_questions_in_one_message_get_both_answers_each_with_its_source(engine, before, question, topics):
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER
    assert {entry.topic for entry in reply.entries} == topics
    for part in reply.answered:
        assert part.body in reply.text
        assert f"Quelle: {part.entry.source}" in reply.text


def test_misspelt_questions_still_find_their_entry(engine, before):
    for question, topic in [
        ("wann ist die bewerbungsfirst", "deadline"),
        ("wer darf sich bewerbn", "eligibility"),
        ("wo gibts die unterlagn", "documents"),
        ("wie hoch ist der zuschus", "funding"),
    ]:
        reply = engine.reply(question, before)
        assert reply.entry is not None and reply.entry.topic == topic, question


@pytest.mark.parametrize(
    "question", ["Ist das nur für Unternehmen?", "Können nur Kommunen teilnehmen?", "is dat nur für firmen"]
)
def test_an_only_question_gets_no_bare_yes(engine, before, question):
    """ "Nur für Unternehmen?" – "Ja. Unternehmen sind aufgerufen" said the opposite of the facts."""
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "eligibility"
    assert not reply.body.startswith("Ja") and "neben" in reply.body


def test_after_the_deadline_answers_about_taking_part_say_the_call_is_closed(engine, before):
    """The README promises never to invite anyone to a closed call: "Unternehmen sind aufgerufen"
    was written for all times, so after the deadline it comes after the notice."""
    after = datetime.fromisoformat("2017-03-01T10:00:00+01:00")
    closed = "Der Aufruf ist geschlossen. Die Frist ist am 17. Februar 2017 abgelaufen"
    for question in ("Dürfen Unternehmen teilnehmen?", "Was wird gefördert?", "Welche Unterlagen brauche ich?"):
        assert engine.reply(question, after).body.startswith(closed), question
        assert closed not in engine.reply(question, before).body, question
    deadline = engine.reply("Wann ist die Frist?", after).body
    assert deadline.count("abgelaufen") == 1  # its own sentence says it once
    assert closed not in engine.reply("Gehört Marl dazu?", after).body  # a fact of the region, no invitation
    assert closed not in engine.reply("Was steht im Zuwendungsbescheid?", after).body  # funded projects go on
    two = engine.reply("Wer darf sich bewerben und welche Unterlagen brauche ich?", after)
    assert len(two.entries) == 2 and two.text.count("Der Aufruf ist geschlossen") == 1  # once, before both


@pytest.mark.parametrize(
    "question",
    [
        "Ist die Frist am 17. Februar?",
        "Ist der Bewerbungsschluss am 17.02.?",
        "Kann ich noch nach dem 17. Februar einreichen?",
    ],
)
def test_a_date_in_a_question_says_when_not_what_about(engine, before, question):
    """The day and month of a date counted as unknown words: these fell back."""
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "deadline"


def test_a_month_does_not_make_another_deadline_ours(engine, before):
    assert engine.reply("Bis wann muss ich meine Steuererklärung im Juli abgeben?", before).outcome is Outcome.FALLBACK


def test_a_number_that_is_no_date_stays_a_word(engine, before):
    """Read as a stopword, "3" left "Können wir Skizzen einreichen?" – the entry on what a sketch is."""
    reply = engine.reply("Können wir 3 Skizzen einreichen?", before)
    assert reply.outcome is not Outcome.ANSWER or reply.entry.id == "mehrere-skizzen"


@pytest.mark.parametrize("message", ["🙏🙏🙏", "?", "… !", "😀😀"])
def test_a_message_without_words_is_asked_for_a_question(engine, before, message):
    """ "Dazu habe ich leider keine verlässliche Antwort" to "🙏🙏🙏" answered nothing asked."""
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.FALLBACK and reply.text.startswith("Stellen Sie mir gern eine Frage zum Aufruf")
    assert "keine verlässliche Antwort" not in reply.text
