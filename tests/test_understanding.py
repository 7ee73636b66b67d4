"""Messages as people really write them: greetings, context, two questions, dialect, English,
follow-ups within one chat (issue #11)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import timedelta
from typing import ClassVar

import numpy as np
import pytest

from bot.engine import Engine, Outcome, segment
from bot.engine.evaluate import evaluate, load_eval_set
from bot.engine.memory import ConversationMemory
from bot.engine.rewrite import is_english
from bot.engine.semantic import PhraseVectors, discriminant_projection
from bot.engine.wording import ENGLISH_FALLBACK, ENGLISH_NOTE

NOW = "2017-01-20T10:00:00+01:00"
Kind = segment.Kind

# A complete question about a city taking part, then a follow-up that means nothing on its own.
WHO_MAY_APPLY = "Wer ist zur Bewerbung berechtigt?"
AND_A_FIRM = "Und eine Firma aus dem Münsterland?"
TWO_QUESTIONS = "Wie hoch ist die Förderung und wann ist Abgabeschluss?"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=120
    )


def ask_json(*args: str, stdin: str) -> list[dict]:
    result = run("ask", "--json", "--now", NOW, *args, stdin=stdin)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def kinds(message: str) -> list[Kind]:
    return [part.kind for part in segment.split(message)]


# -- segmenting ------------------------------------------------------------------------------


def test_greeting_and_introduction_come_before_the_question():
    parts = segment.split("Moin zusammen! Ich leite ein kleines Softwarehaus in Bottrop. Wann endet die Frist?")
    assert [p.kind for p in parts] == [Kind.GREETING, Kind.CONTEXT, Kind.QUESTION]
    assert "Bottrop" in parts[1].text and parts[2].text.startswith("Wann endet")


@pytest.mark.parametrize(
    "greeting", ["Hallo", "Guten Tag", "Moin zusammen", "Liebe Grüße", "Hallo Förderbot", "Hi Bot", "Glück auf"]
)
def test_a_greeting_before_a_comma_is_not_part_of_the_introduction(greeting):
    parts = segment.split(f"{greeting}, wir sind ein Verein aus Herten. Dürfen wir mitmachen?")
    assert parts[0] == segment.Part(greeting, Kind.GREETING)
    assert parts[1] == segment.Part("wir sind ein Verein aus Herten.", Kind.CONTEXT)


@pytest.mark.parametrize("opener", ["Hör mal", "Sag mal", "Kurze Frage", "Eine Frage noch"])
def test_an_opener_that_only_announces_the_question_is_not_part_of_it(opener):
    parts = segment.split(f"{opener}, bis wann muss das alles abgegeben sein?")
    assert parts == [
        segment.Part(opener, Kind.GREETING),
        segment.Part("bis wann muss das alles abgegeben sein?", Kind.QUESTION),
    ]


def test_thanks_before_a_comma_in_a_message_that_asks_nothing_is_read_whole(engine, before):
    message = "danke dir, hast mir echt weitergeholfen"
    assert segment.split(message) == [segment.Part(message, Kind.QUESTION)]
    assert engine.reply(message, before).entry.topic == "smalltalk"


def test_an_announced_question_may_be_two_questions():
    parts = segment.split("Können Sie mir sagen, wer über die Ideen befindet und wer in der Jury sitzt?")
    assert [p.kind for p in parts] == [Kind.CONTEXT, Kind.QUESTION, Kind.QUESTION]


def test_oder_offers_an_alternative_to_the_question_before():
    parts = segment.split("Kann ich die Skizze per Mail schicken, oder muss sie per Post kommen?")
    assert [(p.text, p.alternative) for p in parts] == [
        ("Kann ich die Skizze per Mail schicken", False),
        ("muss sie per Post kommen?", True),
    ]


@pytest.mark.parametrize(
    "message",
    [
        "Passt ein Quartiersprojekt zu Smart Region, oder geht es da nur um die Wirtschaft?",
        "Passt eine Lern-App für Senioren in den Aufruf, oder geht es nur um Wirtschaft?",
    ],
)
def test_an_alternative_is_not_answered_on_its_own(engine, before, message):
    # Read alone, "geht es nur um Wirtschaft?" got the entry on business development, sure of it.
    findings, _ = engine.understand(message)
    assert len({f.asks for f in findings}) == 1
    reply = engine.reply(message, before)
    assert all(entry.topic == "scope" for entry in reply.entries) and len(reply.entries) <= 1


@pytest.mark.parametrize(
    ("message", "topics"),
    [
        # the clause before "oder" is the writer's context: nothing is asked another way (it crashed)
        ("Hallo, ich bin Student, oder kann ich mich als Privatperson bewerben?", ["eligibility"]),
        # an alternative belongs to the question in its own sentence, not to one before
        ("Wann ist die Frist? Wir sind ein Verein, oder dürfen wir uns bewerben?", ["deadline", "eligibility"]),
        # "oder" before a question word asks something else
        ("Wann ist Abgabeschluss oder wo finde ich die Unterlagen?", ["deadline", "documents"]),
    ],
)
def test_only_a_question_is_asked_another_way(engine, before, message, topics):
    assert [entry.topic for entry in engine.reply(message, before).entries] == topics


def test_a_follow_up_asked_two_ways_gets_one_answer(engine, before):
    previous = engine.reply("Wer darf sich bewerben?", before)
    reply = engine.reply("Und dann, oder kann ich die Skizze per Mail schicken?", before, previous)
    assert len(reply.entries) == 1


def test_und_after_a_comma_still_opens_a_second_question():
    parts = segment.split("Wer darf sich bewerben, und gibt es eine Frist?")
    assert [p.text for p in parts] == ["Wer darf sich bewerben", "gibt es eine Frist?"]


def test_a_comma_after_a_word_that_is_no_greeting_keeps_the_sentence_whole():
    assert segment.split("Hallo Welt, wir sind ein Verein aus Herten.")[0].text.startswith("Hallo Welt, wir")


@pytest.mark.parametrize(
    "message",
    [
        "Kann ich die Skizze nach dem 17. Februar noch ändern?",
        "Ich bin Prof. an der Hochschule in Marl.",
        "Wir entwickeln z. B. Apps und Sensoren.",
    ],
)
def test_the_dot_of_a_date_or_an_abbreviation_does_not_end_the_sentence(message):
    assert [part.text for part in segment.split(message)] == [message]


def test_a_dash_before_a_question_ends_the_introduction():
    parts = segment.split("Ich habe in Marl ein Start-up gegründet – dürfen wir uns bewerben?")
    assert [p.kind for p in parts] == [Kind.CONTEXT, Kind.QUESTION] and parts[1].text == "dürfen wir uns bewerben?"
    aside = "Ob Städte – etwa Marl und Herten – gemeinsam einreichen dürfen?"
    assert segment.split(aside) == [segment.Part(aside, Kind.QUESTION)]  # dashes around an aside stay


def test_numbered_questions_are_two_questions_without_their_numbers():
    parts = segment.split("Zwei Fragen: 1. Wer darf sich bewerben? 2. Bis wann?")
    assert parts[1:] == [
        segment.Part("Wer darf sich bewerben?", Kind.QUESTION),
        segment.Part("Bis wann?", Kind.QUESTION),
    ]


@pytest.mark.parametrize(
    ("message", "question"),
    [
        (
            "Als Bürgermeister möchte ich wissen, ob wir einen Ratsbeschluss brauchen.",
            "ob wir einen Ratsbeschluss brauchen.",
        ),
        ("Mehrere Firmen fragen, ob sie ohne Partner einreichen können.", "ob sie ohne Partner einreichen können."),
        ("Können Sie mir sagen, wo ich die Unterlagen finde?", "wo ich die Unterlagen finde?"),
        (
            "Die Skizze ist fertig, aber ich finde nirgends, wohin ich sie schicken muss.",
            "wohin ich sie schicken muss.",
        ),
        ("Mir ist unklar, wer den Antrag stellt.", "wer den Antrag stellt."),
        # run on, as dictated or typed in a hurry: no comma before the announced question
        ("und jetz wollt ich ma wissen ob wir da mitmachen duerfen", "ob wir da mitmachen duerfen"),
    ],
)
def test_a_lead_in_about_asking_is_context_for_the_question_it_announces(message, question):
    *lead, asked = segment.split(message)
    assert [part.kind for part in lead] == [Kind.CONTEXT] and asked == segment.Part(question, Kind.QUESTION)


def test_a_remark_after_the_announced_question_is_context():
    parts = segment.split("Ich wollte fragen, nach welchen Kriterien die Jury entscheidet, damit wir uns vorbereiten.")
    assert parts == [
        segment.Part("Ich wollte fragen", Kind.CONTEXT),
        segment.Part("nach welchen Kriterien die Jury entscheidet", Kind.QUESTION),
        segment.Part("damit wir uns vorbereiten.", Kind.CONTEXT),
    ]


def test_a_question_word_before_the_lead_in_keeps_the_question_whole():
    message = "Wann erfahren wir nach der Abgabe, ob wir dabei sind?"
    assert segment.split(message) == [segment.Part(message, Kind.QUESTION)]


def test_a_formal_salutation_is_a_greeting():
    assert kinds("Sehr geehrte Damen und Herren, wann endet die Frist?") == [Kind.GREETING, Kind.QUESTION]


def test_two_questions_in_one_sentence_are_two_parts():
    parts = segment.split("Wer kann mitmachen und bis wann?")
    assert [p.kind for p in parts] == [Kind.QUESTION, Kind.QUESTION]
    assert parts[0].text == "Wer kann mitmachen" and parts[1].text.startswith("bis wann")


def test_a_modal_verb_with_its_own_subject_after_und_opens_a_second_question():
    """ "… und muss ich …" is a new question; "Wer kann und darf mitmachen?" (shared subject) is not."""
    parts = segment.split("Wie viel Geld gibt es und muss ich einen Partner haben?")
    assert [p.text for p in parts] == ["Wie viel Geld gibt es", "muss ich einen Partner haben?"]
    assert kinds("Wer kann und darf mitmachen?") == [Kind.QUESTION]
    # er/sie/es point back to the first clause: one question ("… und darf er mitmachen?")
    assert len(segment.split("Wir haben einen Partner in Essen und darf er mitmachen?")) == 1


def test_a_question_word_after_und_opens_a_question_without_a_question_mark():
    parts = segment.split("ist die frist schon vorbei? und was macht ihr mit meinen daten")
    assert [p.kind for p in parts] == [Kind.QUESTION, Kind.QUESTION]


def test_und_falls_nicht_before_a_question_starts_a_second_question():
    parts = segment.split("Darf ein Verein allein einreichen, und falls nicht, wie finden wir Partner?")
    assert [(p.kind, p.text) for p in parts] == [
        (Kind.QUESTION, "Darf ein Verein allein einreichen"),
        (Kind.QUESTION, "wie finden wir Partner?"),
    ]
    assert len(segment.split("Können wir das machen, wenn nicht anders geregelt?")) == 1


def test_a_chat_statement_without_its_ich_is_context_not_a_question():
    assert kinds("Gibt es nach einem Umzug eine Frist für die Ummeldung? Bin seit drei Wochen da") == [
        Kind.QUESTION,
        Kind.CONTEXT,
    ]
    assert kinds("Wann ist die Frist? Hab gestern erst davon gehört") == [Kind.QUESTION, Kind.CONTEXT]
    assert kinds("Wann ist die Frist? Hab ich sie verpasst") == [Kind.QUESTION, Kind.QUESTION]
    assert kinds("Wann ist die Frist? Bin Student, darf ich mich bewerben") == [Kind.QUESTION, Kind.QUESTION]


def test_a_statement_about_the_writer_before_a_comma_is_context_for_the_question():
    parts = segment.split("Wir suchen eine neue Buchhaltung, wo finden wir die?")
    assert [(p.kind, p.text) for p in parts] == [
        (Kind.CONTEXT, "Wir suchen eine neue Buchhaltung"),
        (Kind.QUESTION, "wo finden wir die?"),
    ]


def test_a_job_search_before_where_to_apply_is_no_question_about_the_call(engine, before):
    reply = engine.reply("Ich suche einen Ausbildungsplatz als Mechatroniker, wo kann ich mich bewerben?", before)
    assert reply.outcome is not Outcome.ANSWER


def test_comma_before_an_interrogative_starts_a_second_question():
    assert kinds("Wie viel Geld gibt es, wer darf teilnehmen?") == [Kind.QUESTION, Kind.QUESTION]
    assert kinds("Ist Marl dabei, welche Kosten werden übernommen?") == [Kind.QUESTION, Kind.QUESTION]


@pytest.mark.parametrize(
    "message",
    [
        "Wer entscheidet, welche Projekte gefördert werden?",
        "Ist klar, wann die Frist endet?",
        "Steht fest, wer die Projekte auswählt?",
    ],
)
def test_a_question_word_with_its_verb_last_continues_the_question(message):
    assert segment.split(message) == [segment.Part(message, Kind.QUESTION)]


def test_asking_who_decides_which_projects_are_funded_names_the_jury(engine, before):
    reply = engine.reply("Hi! Ich bin bei der Stadt Marl. Wer entscheidet, welche Projekte gefördert werden?", before)
    assert reply.outcome is Outcome.ANSWER and [entry.id for entry in reply.entries] == ["auswahl-gremium"]


@pytest.mark.parametrize(
    ("message", "second"),
    [
        ("Dürfen Kommunen mitmachen, und brauchen sie Partner?", "brauchen sie Partner?"),
        ("Gibt es Themenfelder und nach welchen Regeln wird entschieden?", "nach welchen Regeln wird entschieden?"),
        ("Wie lange läuft ein Projekt und welche Kosten zählen?", "welche Kosten zählen?"),
        ("Was wird gefördert und gehört Dortmund dazu?", "gehört Dortmund dazu?"),
    ],
)
def test_a_second_question_may_open_with_a_verb_a_preposition_or_welche(message, second):
    parts = segment.split(message)
    assert [p.kind for p in parts] == [Kind.QUESTION, Kind.QUESTION]
    assert parts[1].text == second


@pytest.mark.parametrize("message", ["Wer kann und darf mitmachen?", "Dürfen Vereine und Verbände mitmachen?"])
def test_modal_verbs_or_nouns_joined_by_und_stay_one_question(message):
    assert kinds(message) == [Kind.QUESTION]


def test_joined_verbs_and_question_words_stay_one_question():
    assert kinds("Wer kann und darf mitmachen?") == [Kind.QUESTION]
    assert kinds("Wann und wo ist die Auftaktveranstaltung?") == [Kind.QUESTION]


def test_message_without_question_mark_is_one_question():
    parts = segment.split("frist verpasst was jetzt")
    assert parts == [segment.Part("frist verpasst was jetzt", Kind.QUESTION)]


def test_a_statement_ending_the_message_is_what_is_asked():
    # No question mark anywhere: the last meaningful sentence becomes the question.
    assert kinds("Hallo. Wir haben die Frist verpasst.") == [Kind.GREETING, Kind.QUESTION]


def test_a_statement_before_a_question_is_context():
    # No "ich"/"wir", but a statement all the same: the question is the sentence that asks.
    assert kinds("Hier schreibt die Kämmerei der Stadt Marl. Wie hoch ist der Eigenanteil?") == [
        Kind.CONTEXT,
        Kind.QUESTION,
    ]
    assert kinds("Guten Tag, hier schreibt die Kämmerei. Bitte um den Eigenanteil.")[-1] is Kind.QUESTION


@pytest.mark.parametrize(
    "message",
    [
        "Hallo!",
        "Guten Morgen",
        "Vielen Dank!",
        "Hallo zusammen",
        "",
        "   ",
        "Liebe Grüße",
        "Viele Grüße",
    ],
)
def test_only_a_greeting_or_nothing_has_no_question_part(message):
    assert Kind.QUESTION not in kinds(message)


# -- one message, read in parts ----------------------------------------------------------------


def test_greeting_and_context_before_the_question_do_not_change_its_answer(engine, before):
    bare = engine.reply("Wann endet die Bewerbungsfrist?", before)
    long = engine.reply(
        "Moin zusammen! Ich bin Geschäftsführerin eines kleinen Softwarehauses in Bottrop. "
        "Wann endet die Bewerbungsfrist?",
        before,
    )
    assert bare.outcome is Outcome.ANSWER and long.outcome is Outcome.ANSWER
    assert long.entry == bare.entry and long.entry.topic == "deadline"
    assert len(long.entries) == 1  # the greeting is not answered on top


def test_an_introduction_decides_a_vague_question(engine, before):
    vague = "Dürfen wir mitmachen?"
    alone = engine.reply(vague, before)
    introduced = engine.reply(f"Guten Tag, wir sind ein eingetragener Verein aus Gelsenkirchen. {vague}", before)
    assert introduced.outcome is Outcome.ANSWER
    assert introduced.entry.topic == "eligibility" and "Verein" in introduced.body
    assert alone.entry != introduced.entry


@pytest.mark.parametrize(
    ("introduction", "entry"),
    [
        ("Wir sind ein Verein aus Marl.", "vereine-verbaende"),
        ("Hallo, wir sind ein Verein in Herten.", "vereine-verbaende"),
        ("Wir sind eine Hochschule in Gelsenkirchen.", "hochschulen-bewerben"),
    ],
)
def test_the_introduction_picks_the_entry_within_the_topic_the_question_asks(engine, before, introduction, entry):
    reply = engine.reply(f"{introduction} Dürfen wir mitmachen?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == entry
    assert engine.reply("Dürfen wir mitmachen?", before).entry.id != entry  # the question alone leans elsewhere


@pytest.mark.parametrize("business", ["eine kleine Tischlerei", "ein Ingenieurbüro", "eine Spedition"])
def test_a_trade_in_the_introduction_reads_as_a_company(engine, before, business):
    reply = engine.reply(f"Hallo, ich habe {business}. Können wir mitmachen?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "unternehmen-bewerben"


@pytest.mark.parametrize(
    "message",
    [
        "Wie ist das Wetter in Marl?",
        "Gibt es in Gelsenkirchen ein Hallenbad?",
        "Wann fährt der nächste Bus nach Herten?",
    ],
)
def test_a_town_of_the_region_does_not_make_another_subject_a_region_question(engine, before, message):
    assert engine.reply(message, before).outcome is Outcome.FALLBACK


def test_a_town_named_in_the_introduction_does_not_answer_a_deadline_question(engine, before):
    reply = engine.reply(
        "Guten Tag, die Stadt Bottrop überlegt, ob sie eine Bewerbung einreicht. Gibt es einen Stichtag?", before
    )
    assert reply.entry is None or reply.entry.topic == "deadline"


@pytest.mark.parametrize("message", ["Gehört Marl zur Region?", "Ist Marl dabei?", "Liegt Dorsten im Fördergebiet?"])
def test_a_town_asked_about_is_still_a_region_question(engine, before, message):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "region"


def test_two_questions_on_one_topic_get_both_their_entries(engine, before):
    reply = engine.reply("Welche Kosten sind förderfähig, und wird die Mehrwertsteuer bezahlt?", before)
    assert [entry.id for entry in reply.entries] == ["foerderfaehige-kosten", "mehrwertsteuer"]
    assert engine.reply("Wie hoch ist die Förderung? Wie hoch ist die Förderung?", before).also == ()


def test_a_sign_off_after_the_question_is_not_answered(engine, before):
    reply = engine.reply("Hallo! Wann ist die Frist? Liebe Grüße", before)
    assert [entry.topic for entry in reply.entries] == ["deadline"]


@pytest.mark.parametrize(
    "message",
    [
        TWO_QUESTIONS,
        "Wann ist Abgabeschluss? Wie hoch ist die Förderung?",
    ],
)
def test_two_questions_get_two_answers_each_with_its_source(engine, before, message):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER
    first, second = reply.entries
    assert {first.topic, second.topic} == {"deadline", "funding"}
    assert reply.entry == first and reply.also[0].entry == second
    for answered in reply.answered:
        assert answered.body in reply.text
        assert f"Quelle: {answered.entry.source_at(before)}" in reply.text
    assert reply.sections == ((reply.body, first.source_at(before)), (reply.also[0].body, second.source_at(before)))
    assert reply.text.index(reply.body) < reply.text.index(reply.also[0].body)


def test_a_vague_second_question_is_read_on_its_own_not_with_the_introduction(engine, before):
    # "bis wann?" asks about the deadline; read with "Wir sind ein Verein" it would drift to Vereine.
    reply = engine.reply("Moin! Wir sind ein Verein aus Marl. Dürfen wir uns bewerben, und bis wann?", before)
    assert [entry.topic for entry in reply.entries] == ["eligibility", "deadline"]


@pytest.mark.parametrize(
    "message",
    [
        "Wie beantrage ich Elterngeld in Bottrop und wie lange habe ich dafür Zeit?",
        "Wie melde ich ein Gewerbe an und was kostet das?",
        "Bekomme ich für die Meisterschule Aufstiegs-BAföG, und wie viel gibt es da?",
    ],
)
def test_a_question_pointing_back_to_one_about_something_else_is_not_answered(engine, before, message):
    assert not engine.reply(message, before).entries


def test_da_alone_at_the_end_of_a_message_need_not_point_back(engine, before):
    # "Wann ist das Geld da?" asks when the money arrives, not about the Förderquote asked before
    previous = engine.reply("Wie hoch ist die Förderquote?", before)
    assert engine.reply("Wann ist das Geld da?", before, previous).entry.id == "auszahlung"


def test_a_question_pointing_back_to_one_about_the_call_is_answered(engine, before):
    reply = engine.reply("Wer darf sich bewerben und was muss ich dafür einreichen?", before)
    assert [entry.topic for entry in reply.entries] == ["eligibility", "documents"]


def test_three_questions_get_at_most_two_answers(engine, before):
    reply = engine.reply("Welche Kosten werden gefördert, wer darf sich bewerben und wann ist Abgabeschluss?", before)
    assert reply.outcome is Outcome.ANSWER
    assert len(reply.entries) == 2 and reply.entries[0].topic != reply.entries[1].topic
    assert reply.text.count("Quelle: ") == 2


def test_asking_whether_the_money_comes_from_the_federation_names_the_funding_source(engine, before):
    reply = engine.reply("Kommt die Förderung vom Bund?", before)  # "Bund" is a keyword of that entry
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "geldgeber"


def test_is_it_over_asks_whether_the_deadline_has_passed(engine, before):
    reply = engine.reply("Hallo, ist das Programm noch aktiv oder schon vorbei?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "frist-status"


def test_ruhr_dialect_reaches_the_funding_answer_through_the_lexicon(engine, before):
    dialect = "wieviel kohle kricht man da"
    assert engine.rewriter.rewrite(dialect, english=False) == "wieviel Geld bekommt man da"
    reply = engine.reply(dialect, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "funding"
    # Without the staff's lexicon the same words are not understood.
    without_lexicon = Engine(dataclasses.replace(engine.kb, lexicon={}))
    assert without_lexicon.reply(dialect, before).outcome is not Outcome.ANSWER


def test_english_question_gets_the_german_answer_after_an_english_note(engine, before):
    question = "Can companies apply?"
    assert is_english(question)
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "eligibility"
    assert reply.note == ENGLISH_NOTE and reply.text.startswith(ENGLISH_NOTE)
    assert reply.body == engine.answer(reply.entry, before).body  # the German text, untranslated
    assert f"Quelle: {reply.entry.source_at(before)}" in reply.text


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Do you store my messages?", "datenschutz-daten"),
        ("How long can a project run?", "projektlaufzeit"),
        ("Is there a phone number?", "kontakt-telefon"),
        ("What happens after I submit my sketch?", "verfahren-bewerben"),
        ("Don\u2019t we need a partner?", "kooperation-pflicht"),
        ("Who can I call?", "kontakt-telefon"),  # "call" alone is the call for proposals
    ],
)
def test_english_function_words_are_read_as_german_ones(engine, before, question, entry):
    """ "do", "my", "can", "is there" mean nothing of their own: the lexicon gives their German
    counterparts, so they no longer count as unknown words that make a question look foreign."""
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == entry
    without = Engine(dataclasses.replace(engine.kb, lexicon={}))
    assert without.reply(question, before).outcome is not Outcome.ANSWER


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Who is allowed to apply for this call?", "eligibility"),
        ("Is it mandatory to have a partner or can one organisation apply alone?", "cooperation"),
        ("Is the whole Kreis Recklinghausen included?", "region"),
        ("What kind of projects are funded?", "scope"),
    ],
)
def test_general_english_words_do_not_make_a_question_look_foreign(engine, before, question, topic):
    """ "allowed", "alone", "whole", "kind of" say nothing about a subject; left unknown they
    weighed like a foreign noun and the question fell back. What names another subject still does."""
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == topic
    general = {"allowed", "mandatory", "one", "alone", "whole", "included", "kind of", "it"}
    lexicon = {
        section: {k: v for k, v in words.items() if k not in general} for section, words in engine.kb.lexicon.items()
    }
    without = Engine(dataclasses.replace(engine.kb, lexicon=lexicon))
    assert without.reply(question, before).outcome is not Outcome.ANSWER
    for elsewhere in (
        "Is it allowed to bring my dog to the office?",
        "What is the selection process for a job at the city office?",
        "I want to buy a small company. Is it possible?",
    ):
        assert engine.reply(elsewhere, before).outcome is Outcome.FALLBACK, elsewhere


def test_an_unknown_english_word_weighs_like_an_unknown_german_noun(engine, before):
    """English writes nouns in lower case: after the lexicon, what is left names something else."""
    assert engine.reply("What is the deadline for renewing my driving licence?", before).outcome is Outcome.FALLBACK
    words = engine.matcher.rank("was ist die Frist für renewing", english=True).weights
    assert words["renewing"] > engine.matcher.rank("was ist die Frist für renewing").weights["renewing"]
    # The German stopwords the lexicon put for English ones stay light ("do" → "denn").
    assert words["ist"] == engine.matcher.rank("was ist die Frist für renewing").weights["ist"]


@pytest.mark.parametrize(
    ("question", "topics"),
    [
        ("When is the application deadline and who can apply?", ["deadline", "eligibility"]),
        ("Where can I find the documents and when is the deadline?", ["documents", "deadline"]),
        ("Who can apply? And what is the deadline?", ["eligibility", "deadline"]),
        ("Where do I get the forms? Is there a deadline?", ["documents", "deadline"]),
        ("who can apply? and when is the deadline", ["eligibility", "deadline"]),  # the last without "?"
    ],
)
def test_two_english_questions_get_both_answers(engine, before, question, topics):
    reply = engine.reply(question, before)
    assert [entry.topic for entry in reply.entries] == topics
    assert reply.text.startswith("I answer in German only")


def test_an_english_introduction_stays_with_the_question_after_it():
    parts = segment.english_questions("We are a small company from Marl. Can we apply? And until when?")
    assert [p.text for p in parts] == ["We are a small company from Marl. Can we apply?", "And until when?"]


def test_an_english_statement_after_the_last_question_asks_nothing(engine, before):
    parts = segment.english_questions("Where do I submit the sketch? I am a student in Marl.")
    assert [p.kind for p in parts] == [Kind.QUESTION, Kind.GREETING]
    assert len(engine.reply("Where do I submit the sketch? I am a student in Marl.", before).entries) == 1


@pytest.mark.parametrize("question", ["How do I renew my passport?", "Where can I get a dog license?"])
def test_english_out_of_scope_question_gets_the_english_fallback(engine, before, question):
    assert is_english(question)
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.FALLBACK and reply.entry is None and not reply.entries
    call = engine.kb.call
    assert reply.text == ENGLISH_FALLBACK.format(call=call.name, documents=call.documents_url)


def test_a_follow_up_that_only_names_something_new_is_read_with_the_previous_question(engine, before):
    # "Apps" is a word the knowledge base never uses, yet "Auch Apps?" asks what was asked before.
    previous = engine.reply("Was wird gefördert?", before)
    findings, _ = engine.understand("Auch Apps?", previous)
    assert any(finding.follow_up for finding in findings)
    findings, _ = engine.understand("Und wie ist das Wetter?", previous)  # its own question
    assert not any(finding.follow_up for finding in findings)


@pytest.mark.parametrize(
    "message",
    [
        "Welche Unterlagen brauche ich für einen neuen Personalausweis?",
        "Wie bekomme ich einen Kitaplatz für meine Tochter?",
        "Wann muss die Hundesteuer bezahlt sein?",
        "Hallo, ich wohne in Herten. Wo bekomme ich einen Kitaplatz?",
        "Guten Abend! Wir haben einen Hund. Bis wann müssen wir die Hundesteuer zahlen?",
    ],
)
def test_out_of_scope_traps_fall_back_even_with_greeting_and_context(engine, before, message):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.FALLBACK and not reply.entries
    assert engine.kb.call.documents_url in reply.text and "Quelle:" not in reply.text


@pytest.mark.parametrize("message", ["", "🙈🙈", "  \n "])
def test_empty_or_emoji_only_message_falls_back(engine, before, message):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.FALLBACK and not reply.entries


# -- follow-ups --------------------------------------------------------------------------------


def test_follow_up_takes_its_meaning_from_the_previous_answer(engine, before):
    previous = engine.reply(WHO_MAY_APPLY, before)
    assert previous.entry.topic == "eligibility"
    follow_up = engine.reply(AND_A_FIRM, before, previous)
    assert follow_up.outcome is Outcome.ANSWER and follow_up.entry.topic == "eligibility"
    assert follow_up.entry != previous.entry  # about firms now, not everyone


def test_how_many_after_the_partner_question_is_not_answered_about_sketches(engine, before):
    previous = engine.reply("Brauche ich Partner?", before)
    follow_up = engine.reply("Wie viele?", before, previous)
    assert follow_up.entry is None or follow_up.entry.topic == "cooperation"


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("Was wird gefördert?", "Auch Apps?"),
        ("Gehört Datteln dazu?", "Und Bergkamen?"),  # not in call.yaml: a listed place is answered alone
        ("Dürfen Unternehmen mitmachen?", "Gilt das auch für Genossenschaften?"),  # "auch" after the verb
    ],
)
def test_an_elliptical_follow_up_about_something_unknown_keeps_the_previous_topic(engine, before, first, then):
    previous = engine.reply(first, before)
    follow_up = engine.reply(then, before, previous)
    assert follow_up.outcome is Outcome.ANSWER and follow_up.entry.topic == previous.entry.topic
    assert engine.reply(then, before).outcome is Outcome.FALLBACK


@pytest.mark.parametrize("then", ["Und Pizza?", "Und das Wetter?", "Auch Urlaub?", "Geht auch was mit Pizza?"])
def test_an_elliptical_follow_up_about_something_unrelated_is_not_answered(engine, before, then):
    previous = engine.reply("Was wird gefördert?", before)
    assert engine.reply(then, before, previous).outcome is not Outcome.ANSWER


def test_a_follow_up_is_answered_once_not_also_as_a_second_question(engine, before):
    previous = engine.reply("Wann ist die Frist?", before)
    reply = engine.reply("Und die Skizze?", before, previous)
    assert len(reply.entries) <= 1


def test_an_elliptical_follow_up_that_leaves_the_previous_topic_needs_the_usual_confidence(engine, before):
    previous = engine.reply("Was wird gefördert?", before)
    findings, _ = engine.understand("Und Software für Bürgerämter?", previous)
    reading = next(f for f in findings if f.follow_up)
    assert reading.entries[0].topic != previous.entry.topic and not reading.continues
    assert reading.confidence < engine.thresholds.answer
    assert engine.reply("Und Software für Bürgerämter?", before, previous).outcome is not Outcome.ANSWER


def test_follow_up_without_previous_inherits_nothing(engine, before):
    reply = engine.reply(AND_A_FIRM, before)
    assert reply.outcome is Outcome.FALLBACK and not reply.entries


def test_what_about_after_who_may_apply_names_the_eligibility_of_that_group(engine, before):
    previous = engine.reply("Wer darf sich bewerben?", before)
    follow_up = engine.reply("Was ist mit Kommunen?", before, previous)
    assert follow_up.outcome is Outcome.ANSWER and follow_up.entry.topic == "eligibility"
    assert "Kommune" in follow_up.body
    # Alone, "Was ist mit Kommunen?" may now be answered too (the entry on municipalities is the
    # only close one); the previous question still makes the bot surer.
    assert follow_up.confidence > engine.reply("Was ist mit Kommunen?", before).confidence


def test_a_complete_new_question_is_not_bent_towards_the_previous_topic(engine, before):
    previous = engine.reply(WHO_MAY_APPLY, before)
    reply = engine.reply("Bis wann muss die Bewerbung eingereicht sein?", before, previous)
    assert reply.entry.topic == "deadline" and reply.entries == (reply.entry,)


@pytest.mark.parametrize(
    "message",
    [
        "Welche Unterlagen brauche ich für einen neuen Personalausweis?",
        "Wo bekomme ich einen Kitaplatz?",
        "Und wie ist das Wetter?",
        "Wie beantrage ich Wohngeld?",
    ],
)
def test_an_off_topic_message_after_an_answer_still_falls_back(engine, before, message):
    previous = engine.reply(WHO_MAY_APPLY, before)
    assert engine.reply(message, before, previous).outcome is Outcome.FALLBACK


# -- conversation memory -----------------------------------------------------------------------


@pytest.fixture
def memory(engine) -> ConversationMemory:
    return ConversationMemory(timedelta(minutes=engine.thresholds.follow_up_minutes))


def test_memory_keeps_a_chat_answer_for_thirty_minutes(engine, before, memory):
    assert engine.thresholds.follow_up_minutes == 30
    answered = engine.reply(WHO_MAY_APPLY, before)
    memory.remember("chat-a", answered, before)
    assert memory.previous("chat-a", before + timedelta(minutes=29)) is answered
    assert memory.previous("chat-a", before + timedelta(minutes=31)) is None
    assert memory.previous("chat-a", before) is None  # expired context is dropped, not kept


def test_memory_is_per_chat_and_can_be_forgotten(engine, before, memory):
    answered = engine.reply(WHO_MAY_APPLY, before)
    memory.remember("chat-a", answered, before)
    assert memory.previous("chat-b", before) is None
    assert engine.reply(AND_A_FIRM, before, memory.previous("chat-b", before)).outcome is Outcome.FALLBACK
    memory.forget("chat-a")
    memory.forget("never-seen")  # forgetting an unknown chat is no error
    assert memory.previous("chat-a", before) is None


def test_a_fallback_does_not_replace_the_remembered_answer(engine, before, memory):
    answered = engine.reply(WHO_MAY_APPLY, before)
    memory.remember("chat-a", answered, before)
    fallback = engine.reply("Wie ist das Wetter heute in Berlin?", before)
    assert fallback.outcome is Outcome.FALLBACK
    memory.remember("chat-a", fallback, before + timedelta(minutes=1))
    assert memory.previous("chat-a", before + timedelta(minutes=1)) is answered
    follow_up = engine.reply(AND_A_FIRM, before, memory.previous("chat-a", before + timedelta(minutes=1)))
    assert follow_up.entry is not None and follow_up.entry.topic == "eligibility"


def test_memory_stays_bounded(engine, before):
    answered = engine.reply(WHO_MAY_APPLY, before)
    memory = ConversationMemory(timedelta(minutes=30), chats_kept=2)
    for chat in ("a", "b", "c"):
        memory.remember(chat, answered, before)
    assert memory.previous("a", before) is None
    assert memory.previous("b", before) is answered and memory.previous("c", before) is answered


# -- command line ------------------------------------------------------------------------------


def test_ask_session_gives_a_follow_up_its_context():
    lines = f"{WHO_MAY_APPLY}\n{AND_A_FIRM}\n{TWO_QUESTIONS}\n"
    session = ask_json("--session", stdin=lines)
    single = ask_json(stdin=lines)
    assert [r["question"] for r in session] == [WHO_MAY_APPLY, AND_A_FIRM, TWO_QUESTIONS]
    assert session[1]["outcome"] == "answer" and session[1]["topic"] == "eligibility"
    assert session[1]["entry"] != session[0]["entry"]
    assert single[1]["outcome"] == "fallback" and single[1]["entries"] == [] and single[1]["topics"] == []
    for replies in (session, single):
        both = replies[2]
        assert len(both["entries"]) == 2 and set(both["topics"]) == {"deadline", "funding"}
        assert both["entries"][0] == both["entry"] and both["topics"][0] == both["topic"]
        assert both["text"].count("Quelle: http") == 2


def test_eval_follows_conversations_and_counts_two_question_messages(engine, before, tmp_path):
    path = tmp_path / "eigene.yaml"
    path.write_text(
        f"- turns:\n"
        f"    - {{q: '{WHO_MAY_APPLY}', topic: eligibility}}\n"
        f"    - {{q: '{AND_A_FIRM}', topic: eligibility}}\n"
        f"- {{q: '{AND_A_FIRM}', topic: eligibility}}\n"
        f"- {{q: '{TWO_QUESTIONS}', topic: [funding, deadline], also: [deadline, funding]}}\n"
        "- {q: 'Welche Kosten sind förderfähig, und wird die Mehrwertsteuer bezahlt?', topic: funding, also: funding}\n"
        "- {q: 'Wie hoch ist die Förderung? Wie hoch ist die Förderung?', topic: funding, also: funding}\n",
        encoding="utf-8",
    )
    items = load_eval_set(path)
    assert [item.conversation for item in items] == [1, 1, None, None, None, None]
    report = evaluate(engine, items, before)
    assert [judged.correct for judged in report.judged] == [True, True, False, True, True, True]
    assert report.two_questions == (2, 3)  # one entry twice is not two answers


def test_kb_eval_prints_both_questions_answered(tmp_path):
    path = tmp_path / "zwei.yaml"
    path.write_text(
        f"- {{q: '{TWO_QUESTIONS}', topic: [funding, deadline], also: [deadline, funding]}}\n"
        f"- turns:\n"
        f"    - {{q: '{WHO_MAY_APPLY}', topic: eligibility}}\n"
        f"    - {{q: '{AND_A_FIRM}', topic: eligibility}}\n",
        encoding="utf-8",
    )
    result = run("kb", "eval", str(path), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "both questions answered: 1/1" in result.stdout
    assert "in-scope accuracy: 1.000" in result.stdout and "Verfehlt" not in result.stdout


# -- phrase vectors cached on disk -------------------------------------------------------------


class CountingEmbedder:
    """A tiny deterministic embedder that records what it was asked to encode."""

    name = "zaehler-test"

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts) -> np.ndarray:
        self.calls.append(list(texts))
        rows = np.array([[len(t), t.count("e") + 1, sum(map(ord, t)) % 7 + 1] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


PHRASINGS = ["Wann ist die Frist?", "Wer darf sich bewerben?", "Wie hoch ist die Förderung?"]


def test_phrase_vectors_are_computed_once_and_then_read_from_the_cache(tmp_path):
    first_embedder = CountingEmbedder()
    first = PhraseVectors(first_embedder, PHRASINGS, cache_dir=tmp_path)
    assert first_embedder.calls[0] == PHRASINGS  # then the model is warmed up with one tiny text
    (cached,) = tmp_path.glob("*.npy")
    assert np.load(cached).shape[0] == len(PHRASINGS)

    second_embedder = CountingEmbedder()
    second = PhraseVectors(second_embedder, PHRASINGS, cache_dir=tmp_path)
    assert PHRASINGS not in second_embedder.calls
    assert np.allclose(second.matrix, first.matrix)
    similarities = second.similarities(PHRASINGS[1])
    assert second_embedder.calls[-1] == [PHRASINGS[1]]
    assert int(np.argmax(similarities)) == 1 and similarities[1] == pytest.approx(1.0, abs=1e-5)


def test_changed_phrasings_are_not_read_from_an_old_cache(tmp_path):
    PhraseVectors(CountingEmbedder(), PHRASINGS, cache_dir=tmp_path)
    changed = CountingEmbedder()
    PhraseVectors(changed, [*PHRASINGS, "Wo finde ich die Unterlagen?"], cache_dir=tmp_path)
    assert len(changed.calls[0]) == len(PHRASINGS) + 1  # all phrasings embedded anew
    assert len(list(tmp_path.glob("*.npy"))) == 2


class TableEmbedder:
    """Fixed vectors per text: entries told apart by the first axis, their phrasings spread along the third."""

    name = "tabelle-test"
    TABLE: ClassVar[dict[str, tuple[float, float, float]]] = {
        "a1": (1.0, 0.1, 3.0),
        "a2": (1.0, -0.1, -3.0),
        "b1": (-1.0, 0.1, 3.0),
        "b2": (-1.0, -0.1, -3.0),
        "frage": (0.3, 0.0, 3.0),
        "": (0.0, 1.0, 0.0),
    }

    def encode(self, texts) -> np.ndarray:
        rows = np.array([self.TABLE[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture
def two_entries_suffice(monkeypatch):
    """The tables below have two entries; the shipped knowledge base has 92."""
    monkeypatch.setattr("bot.engine.semantic.MIN_GROUPS", 2)


def test_phrasings_are_compared_in_the_directions_that_tell_their_entries_apart(tmp_path, two_entries_suffice):
    # Read plainly, "frage" is nearly as close to b1 as to a1: they share the direction in which the
    # phrasings of every entry vary. Only the first axis says which entry a text belongs to.
    texts = ["a1", "a2", "b1", "b2"]
    plain = PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path).similarities("frage")
    separated = PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path, groups=[0, 0, 1, 1]).similarities("frage")
    assert plain[0] - plain[2] < 0.1
    assert separated[0] == pytest.approx(1.0, abs=1e-5) and separated[2] == pytest.approx(-1.0, abs=1e-5)


def test_the_directions_are_computed_once_and_then_read_from_the_cache(tmp_path, monkeypatch, two_entries_suffice):
    texts, groups = ["a1", "a2", "b1", "b2"], [0, 0, 1, 1]
    first = PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path, groups=groups)
    assert len(list(tmp_path.glob("discriminant-*.npy"))) == 1

    def not_again(*_):
        raise AssertionError("computed again although cached")

    monkeypatch.setattr("bot.engine.semantic.discriminant_projection", not_again)
    second = PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path, groups=groups)
    assert np.allclose(second.projection, first.projection)
    with pytest.raises(AssertionError):  # other entries, other directions
        PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path, groups=[0, 1, 0, 1])


def test_one_entry_alone_keeps_the_plain_comparison(tmp_path, two_entries_suffice):
    assert discriminant_projection(np.eye(3, dtype=np.float32), [0, 0, 0]) is None
    vectors = PhraseVectors(TableEmbedder(), ["a1", "b1"], cache_dir=tmp_path, groups=[0, 0])
    assert np.allclose(
        vectors.similarities("frage"), PhraseVectors(TableEmbedder(), ["a1", "b1"]).similarities("frage")
    )


def test_entries_whose_phrasings_do_not_differ_keep_the_plain_comparison(tmp_path, two_entries_suffice):
    texts, groups = ["a1", "a1", "b1", "b1"], [0, 0, 1, 1]
    vectors = PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path, groups=groups)
    assert vectors.projection is None and not list(tmp_path.glob("discriminant-*.npy"))


def test_a_small_knowledge_base_keeps_the_plain_comparison(tmp_path):
    texts, groups = ["a1", "a2", "b1", "b2"], [0, 0, 1, 1]
    vectors = PhraseVectors(TableEmbedder(), texts, cache_dir=tmp_path, groups=groups)
    assert vectors.projection is None
    assert np.allclose(vectors.similarities("frage"), PhraseVectors(TableEmbedder(), texts).similarities("frage"))


def test_the_shipped_knowledge_base_is_compared_in_its_entries_directions(engine):
    assert engine.vectors.projection.shape == (512, len(engine.kb.entries) - 1)


def test_a_long_message_about_the_partners_limit_is_not_answered_with_the_funding_limit(engine, before):
    message = (
        "Hallo, wir sind ein Pflegedienst in Herten. "
        "Ist die Anzahl der Projektpartner irgendwie nach oben hin begrenzt?"
    )
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "partner-anzahl"


def test_an_unwritable_cache_dir_costs_only_a_warning(tmp_path, caplog):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    embedder = CountingEmbedder()
    vectors = PhraseVectors(embedder, PHRASINGS, cache_dir=blocked)
    assert vectors.matrix.shape[0] == len(PHRASINGS)
    assert int(np.argmax(vectors.similarities(PHRASINGS[2]))) == 2
    assert any("nicht zwischengespeichert" in record.getMessage() for record in caplog.records)
    assert blocked.read_text(encoding="utf-8") == "a file where the folder should be"


@pytest.mark.parametrize("first", ["Wie hoch ist die Förderquote?", "Wann ist die Frist?"])
def test_a_whole_new_question_is_not_read_as_a_follow_up(engine, before, first):
    """ "Wo reiche ich die Skizze ein?" got the Förderquote again: read with the previous question
    it looked surer than on its own."""
    previous = engine.reply(first, before)
    reply = engine.reply("Wo reiche ich die Skizze ein?", before, previous)
    alone = engine.reply("Wo reiche ich die Skizze ein?", before)
    assert reply.entry != previous.entry and reply.entry == alone.entry
