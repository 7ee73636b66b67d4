"""A writer's name, sign-off and contact details are no words of the question."""

from __future__ import annotations

import pytest

from bot.domain import Outcome
from bot.personal import redact, without_personal


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("Hallo, ich heiße Anna. Wann ist die Frist?", "Hallo, . Wann ist die Frist?"),
        (
            "Mein Name ist Sabine Kretschmer, ich arbeite bei der Stadt Gladbeck.",
            ", ich arbeite bei der Stadt Gladbeck.",
        ),
        ("Hier ist Frau Anna-Lena Müller von der Firma Schulz IT.", " von der Firma Schulz IT."),
        ("Jürgen Kowalski hier, Elektro Kowalski aus Herten.", ", Elektro Kowalski aus Herten."),
        ("Wer darf? LG,Sabine", "Wer darf? LG"),
        ("Wer darf sich bewerben? LG Sabine", "Wer darf sich bewerben? LG"),
        ("Was wird gefördert? Mit freundlichen Grüßen Thomas Wieczorek", "Was wird gefördert? Mit freundlichen Grüßen"),
        ("Meine E-Mail ist anna@firma.de. Wann ist die Frist?", ". Wann ist die Frist?"),
        ("Wann ist die Frist? Meine Nummer: 0209 1234567", "Wann ist die Frist? "),
        # what says who asks, or thanks someone, stays
        ("Hier schreibt die Stadtverwaltung Marl.", "Hier schreibt die Stadtverwaltung Marl."),
        ("Danke Ihnen", "Danke Ihnen"),
        ("Wann ist die Frist? Danke!", "Wann ist die Frist? Danke!"),
        ("Was steht in [Klammern]?", "Was steht in [Klammern]?"),
        # a capitalised word before "hier", or after "hier ist", is a name only where a name ends
        ("Dürfen Vereine hier mitmachen?", "Dürfen Vereine hier mitmachen?"),
        ("Ist Kooperation hier erlaubt?", "Ist Kooperation hier erlaubt?"),
        ("Hier ist Eigenanteil nötig?", "Hier ist Eigenanteil nötig?"),
        ("Mein Name ist Teil des Antrags.", "Mein Name ist Teil des Antrags."),
    ],
)
def test_names_and_contact_details_are_left_out(message, read):
    assert without_personal(message) == read


@pytest.mark.parametrize(
    "message",
    [
        "Hallo, ich heiße Anna. Wann ist die Frist?",
        "Wann ist die Frist? Viele Grüße, Anna Müller",
        "Guten Morgen, Jürgen Kowalski hier, Elektro Kowalski aus Herten. Wann ist die Frist?",
        "Meine Telefonnummer ist 0209 1234567. Wann ist die Frist?",
        "Wann ist die Frist?\nMit freundlichen Grüßen\nDr. Thomas Wieczorek\nWirtschaftsförderung Marl",
        "Wann ist die Frist?\ni.A. Sabine Kretschmer",
        "Wann ist die Frist?\n--\nSabine Kretschmer\nStadt Gladbeck",
    ],
)
def test_a_question_with_a_name_is_answered_as_without(engine, before, message):
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == engine.reply("Wann ist die Frist?", before).entry.id
    assert reply.question == message  # the reply (and the log) keep what was written


@pytest.mark.parametrize(
    ("message", "stored"),
    [
        (
            "Hallo, ich bin Anna Schmidt von der Stadt Marl. Wer darf?",
            "Hallo, ich bin [Name] von der Stadt Marl. Wer darf?",
        ),
        (
            "Guten Tag, mein Name ist Dr. Klaus Peters, wir planen …",
            "Guten Tag, mein Name ist Dr. [Name], wir planen …",
        ),
        (
            "Wann? Mit freundlichen Grüßen Thomas Wieczorek, Tel. 02043 123456",
            "Wann? Mit freundlichen Grüßen [Name], Tel. [Telefon]",
        ),
        ("Ich bin Student. Darf ich?", "Ich bin Student. Darf ich?"),  # says who asks, names nobody
        # signatures as in an e-mail: the name line goes, the organisation stays
        (
            "Per Fax?\n\nMit freundlichen Grüßen\nDr. Thomas Wieczorek\nWirtschaftsförderung Marl\nTel. 02365 99-1234",
            "Per Fax?\n\nMit freundlichen Grüßen\nDr. [Name]\nWirtschaftsförderung Marl\nTel. [Telefon]",
        ),
        (
            "Frage?\nMit freundlichen Grüßen\nProf. Dr. Anna Schmidt",
            "Frage?\nMit freundlichen Grüßen\nProf. Dr. [Name]",
        ),
        ("Wann? MfG T. Wieczorek", "Wann? MfG [Name]"),
        ("Wann? Beste Grüße aus Marl, Anna Schmidt", "Wann? Beste Grüße aus Marl, [Name]"),
        ("Mein Name: Schmidt", "Mein Name: [Name]"),
        ("Bitte an anna.schmidt(at)marl.de oder anna [at] marl [dot] de", "Bitte an [E-Mail] oder [E-Mail]"),
        # a question on the line after a greeting is no signature, nor a word before a question
        ("Viele Grüße\nWie geht es weiter?", "Viele Grüße\nWie geht es weiter?"),
        ("Danke!\nVereine\nDürfen die auch mitmachen?", "Danke!\nVereine\nDürfen die auch mitmachen?"),
        ("Grüße\nAnna Schmidt\nGeschäftsführerin\nMusterfirma", "Grüße\n[Name]\nGeschäftsführerin\nMusterfirma"),
        ("Sehr geehrte Frau Schmidt, geht Fax?", "Sehr geehrte Frau [Name], geht Fax?"),
        # "(at)" takes the address, not the sentence after it
        ("Meine Mail ist anna(at)marl.de. Frist?", "Meine Mail ist [E-Mail]. Frist?"),
        ("Hallo (at) all. Wann endet die Frist?", "Hallo (at) all. Wann endet die Frist?"),
        ("Wann? LG Anna, Tel.: 0209 123456", "Wann? LG [Name], Tel.: [Telefon]"),
        ("Danke! Frist?", "Danke! Frist?"),
        # signed for a firm, or below an e-mail's signature line "--"
        ("Wann endet die Frist? i.A. Anna Schmidt", "Wann endet die Frist? i.A. [Name]"),
        ("Frist?\nMit freundlichen Grüßen\ni.A. Thomas Wieczorek", "Frist?\nMit freundlichen Grüßen\ni.A. [Name]"),
        (
            "Wann endet die Frist?\n-- \nDr. Anna Schmidt\nStadtwerke Marl\nTel. 02365 99-1234",
            "Wann endet die Frist?\n-- \nDr. [Name]\nStadtwerke Marl\nTel. [Telefon]",
        ),
        ("Erst Skizze -- dann Antrag?", "Erst Skizze -- dann Antrag?"),
        # "--" as a bullet, or one word under it, names nobody; "i. V." also cites a law
        ("Infos zu:\n-- Förderquote\n-- Eigenanteil", "Infos zu:\n-- Förderquote\n-- Eigenanteil"),
        ("Hallo, ich brauche Infos\n--\nFörderquote", "Hallo, ich brauche Infos\n--\nFörderquote"),
        ("Gilt § 44 LHO i.V. ANBest-P.", "Gilt § 44 LHO i.V. ANBest-P."),
    ],
)
def test_names_are_not_stored(message, stored):
    """/datenschutz promises questions "ohne Namen": "Dr. Klaus Peters" reached /unbeantwortet."""
    assert redact(message) == stored


def test_a_pasted_bot_token_is_not_stored():
    assert redact("Mein Token 123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw bitte") == "Mein Token [Token] bitte"
