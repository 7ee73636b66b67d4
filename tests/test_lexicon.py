"""lexicon.yaml: staff teach the bot how people write; `kb check` names file and line of mistakes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Engine, Outcome
from bot.engine.rewrite import Rewriter, is_english
from bot.knowledge import load_knowledge, read_knowledge


def write_lexicon(root: Path, text: str) -> Path:
    path = root / "lexicon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


REVIEWED_BEFORE = date(2026, 11, 29)
"""A day the shipped entries count as reviewed: no review warnings mixed into the results."""


def lexicon_problems(root: Path) -> list[str]:
    return [str(p) for p in read_knowledge(root, REVIEWED_BEFORE)[1] if "lexicon.yaml" in str(p)]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("umgangssprache:\n  dat: das\nruhrpott:\n  wat: was\n", 3, ["unbekannter Abschnitt", "ruhrpott"]),
        ("umgangssprache:\n  dat: das\n  k2: kann\n", 3, ["„k2“ ist kein Wort", "ohne Ziffern"]),
        ("englisch:\n  apply: bewerben\n  deadline: ''\n", 3, ["„deadline“ braucht rechts einen Text"]),
        ("englisch:\n  apply: bewerben\n  deadline:\n", 3, ["„deadline“ braucht rechts einen Text"]),
        ("umgangssprache:\n  dat: das\n  wat: was\n  Dat: dies\n", 4, ["„Dat“ steht zweimal"]),
        ("umgangssprache:\n  dat: das\n  dat: dies\n", 3, ["„dat“ steht doppelt", "Zeile 2"]),
        ("- dat\n- wat\n", 1, ["braucht Abschnitte"]),
        ("umgangssprache: [dat\n", None, ["YAML-Syntaxfehler"]),
    ],
)
def test_kb_check_names_line_and_mistake_in_the_lexicon(knowledge_copy, text, line, words):
    write_lexicon(knowledge_copy, text)
    (problem,) = lexicon_problems(knowledge_copy)
    if line is not None:
        assert f"lexicon.yaml:{line}: Fehler" in problem
    assert all(word in problem for word in words), problem


def test_kb_check_exits_non_zero_and_prints_the_lexicon_line(knowledge_copy, capsys):
    write_lexicon(knowledge_copy, "umgangssprache:\n  dat: das\n  2fast: schnell\n")
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    out = capsys.readouterr().out
    assert f"{knowledge_copy / 'lexicon.yaml'}:3: Fehler" in out and "„2fast“" in out


def test_a_word_replaced_by_itself_is_only_a_warning(knowledge_copy):
    write_lexicon(knowledge_copy, "umgangssprache:\n  dat: das\n  nix: nix\n")
    kb, problems = read_knowledge(knowledge_copy, REVIEWED_BEFORE)
    (problem,) = [p for p in problems if "lexicon.yaml" in str(p)]
    assert "lexicon.yaml:3: Warnung" in str(problem) and "durch sich selbst" in str(problem)
    assert kb is not None and kb.lexicon["umgangssprache"]["dat"] == "das"


def test_a_missing_lexicon_is_fine(knowledge_copy):
    (knowledge_copy / "lexicon.yaml").unlink()
    kb, problems = read_knowledge(knowledge_copy, REVIEWED_BEFORE)
    assert kb is not None and problems == []
    assert kb.lexicon == {}
    assert Rewriter(kb.lexicon).rewrite("wat kricht man", english=False) == "wat kricht man"


def test_an_empty_lexicon_file_is_fine(knowledge_copy):
    write_lexicon(knowledge_copy, "# noch leer\n")
    kb, problems = read_knowledge(knowledge_copy, REVIEWED_BEFORE)
    assert kb is not None and problems == [] and kb.lexicon == {}


def test_keys_are_case_insensitive_and_phrases_allowed(knowledge_copy):
    write_lexicon(
        knowledge_copy,
        "umgangssprache:\n  Wie Lang: wie lange\n  gibt's: gibt es\n  e. V.: eingetragener Verein\n"
        "englisch:\n  apply: bewerben\n",
    )
    lexicon = load_knowledge(knowledge_copy).lexicon
    assert lexicon == {
        "umgangssprache": {"wie lang": "wie lange", "gibt's": "gibt es", "e. v.": "eingetragener Verein"},
        "englisch": {"apply": "bewerben"},
    }


# -- rewriting ---------------------------------------------------------------------------------

LEXICON = {
    "umgangssprache": {"dat": "das", "wat": "was", "wie lang": "wie lange", "kohle": "Geld", "geld": "Moneten"},
    "englisch": {"apply": "bewerben"},
}


def test_rewriting_is_word_by_word_case_insensitive_and_not_recursive():
    rewriter = Rewriter(LEXICON)
    assert rewriter.rewrite("Wat kost DAT?", english=False) == "was kost das?"
    # "kohle" becomes "Geld" once; "Geld" is not rewritten again to "Moneten".
    assert rewriter.rewrite("wieviel kohle", english=False) == "wieviel Geld"
    # Parts of longer words stay: "Datum", "Watt", "Kohlekraft".
    assert rewriter.rewrite("Datum Watt Kohlekraft", english=False) == "Datum Watt Kohlekraft"


def test_an_abbreviation_with_dots_is_rewritten_before_its_dots_end_a_sentence(engine, before):
    rewriter = Rewriter({"umgangssprache": {"e.v.": "Verein"}})
    assert rewriter.rewrite("Als e.V. dabei?", english=False) == "Als Verein dabei?"
    # At a sentence end the dot stays: "Wir sind ein e.V. Wann …?" are two sentences.
    sentence_end = rewriter.rewrite("Wir sind ein e.V. Wann ist die Frist?", english=False)
    assert sentence_end == "Wir sind ein Verein. Wann ist die Frist?"
    reply = engine.reply("Dürfen wir uns als e.V. mit einer Digitalisierungsidee bewerben?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "vereine-verbaende"


def test_u_for_und_leaves_the_abbreviation_u_a_whole(kb):
    """ "u" is "und" in a chat; "u. a." is "unter anderem", not "und. a."."""
    rewriter = Rewriter(kb.lexicon)
    assert rewriter.rewrite("wer darf u bis wann", english=False) == "wer darf und bis wann"
    assert rewriter.rewrite("Wir sind u. a. in Marl aktiv", english=False) == "Wir sind unter anderem in Marl aktiv"
    assert rewriter.rewrite("Wir sind u.a. in Marl aktiv", english=False) == "Wir sind unter anderem in Marl aktiv"


def test_an_idiom_for_taking_on_a_partner_is_understood_as_one(engine, before):
    """The idiom "jemanden mit ins Boot holen" asks about partners: the shipped lexicon says so."""
    reply = engine.reply("Können wir eine Firma aus Essen mit ins Boot holen?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "partner-ausserhalb"


def test_a_call_ins_leben_gerufen_was_started(engine, before):
    reply = engine.reply("Wer hat den Aufruf ins Leben gerufen?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "ministerium"


def test_formal_and_foermlich_are_one_word_to_the_shipped_synonyms(engine):
    terms = engine.matcher.normalizer.terms
    assert [t.text for t in terms("den formalen Antrag")] == [t.text for t in terms("den förmlichen Antrag")]


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Kommt eine Stiftung infrage?", "vereine-verbaende"),
        ("Kommen auch Firmen aus Essen in Frage?", "herkunft-region"),
    ],
)
def test_in_frage_kommen_asks_who_may_apply(engine, before, question, entry):
    """„In Frage kommen“ is one of the shipped synonyms of applying: „kommen“ alone would lean to
    the entry on coming from the region."""
    terms = engine.matcher.normalizer.terms
    assert [t.text for t in terms("in Frage")] == [t.text for t in terms("bewerben")]
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == entry


@pytest.mark.parametrize("farewell", ["Schönes Wochenende!", "Schönen Feierabend", "bis die tage"])
def test_a_farewell_in_other_words_is_answered_as_goodbye(engine, before, farewell):
    reply = engine.reply(farewell, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "smalltalk"


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("Was kann der Förderbot?", "bot"),
        ("Ist der Foerderbot verbindlich?", "bot"),
        ("Guten Tag, Förderbot.", "smalltalk"),
    ],
)
def test_the_bots_own_name_means_the_bot(engine, before, message, topic):
    """„Förderbot“ read as „Förder“ + „bot“ pulled these to the funding entries."""
    reply = engine.reply(message, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == topic


def test_longest_phrase_wins():
    assert Rewriter(LEXICON).rewrite("wie lang dauert dat", english=False) == "wie lange dauert das"


def test_english_and_german_sections_apply_to_their_language_only():
    rewriter = Rewriter(LEXICON)
    assert rewriter.rewrite("can we apply with dat", english=True) == "can we bewerben with dat"
    assert rewriter.rewrite("apply dat", english=False) == "apply das"


@pytest.mark.parametrize(
    ("message", "english"),
    [
        ("Can a company from Gelsenkirchen apply?", True),
        ("What documents do I need for the application?", True),
        ("Wann ist die Frist?", False),
        ("Kann ich mich als Verein bewerben?", False),
        ("Deadline?", False),  # one word says nothing about the language
        ("", False),
    ],
)
def test_is_english(message, english):
    assert is_english(message) is english


def test_a_staff_added_word_is_understood(knowledge_copy, engine, before):
    message = "wieviel pinkepinke kricht man da"
    assert engine.reply(message, before).outcome is not Outcome.ANSWER
    path = knowledge_copy / "lexicon.yaml"
    text = path.read_text(encoding="utf-8").replace("umgangssprache:\n", "umgangssprache:\n  pinkepinke: Geld\n", 1)
    path.write_text(text, encoding="utf-8")
    kb, problems = read_knowledge(knowledge_copy, REVIEWED_BEFORE)
    assert kb is not None and not [p for p in problems if "lexicon.yaml" in str(p)]
    reply = Engine(kb).reply(message, before)  # a changed knowledge folder is loaded as a new engine
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "funding"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Wo gibt es die Vordrucke?", "unterlagen-download"),
        ("Werden Gehälter gefördert?", "foerderfaehige-kosten"),
        ("Darf die Kreisverwaltung mitmachen?", "kommunen-bewerben"),
        ("Zählt eine Außenstelle in Gelsenkirchen?", "sitz-niederlassung"),  # written with ß, listed with ss
        ("Kann unser Lehrstuhl einreichen?", "hochschulen-bewerben"),
        ("Gibt es eine Nachfrist?", "frist-verlaengerung"),
        ("Darf ein Selbständiger mitmachen?", "freiberufler"),
        ("Kann jemand meine Idee klauen?", "vertraulichkeit"),
        ("Is it a grant or a loan?", "zuschuss-oder-darlehen"),
        ("wer darf sich bewerben u bis wan", "wer-darf-sich-bewerben"),  # "u" for "und" in a chat
    ],
)
def test_everyday_words_for_what_the_entries_name_are_known(engine, before, question, entry):
    """Words the entries never use ("Vordrucke", "Kreisverwaltung", "Nachfrist", "selbständig") made a plain
    question look like one about something else; the shipped synonyms and lexicon name them."""
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == entry


def test_the_words_a_report_lists_are_the_ones_no_entry_knows(kb):
    """`report` lists them for staff: not stopwords, numbers, typos of known words, words the
    lexicon or the synonyms already teach (also in phrases: "Umbau 21", "Start-up"), redaction
    placeholders, letters of abbreviations, nor the words of an English message."""
    from bot.engine.vocabulary import UnknownWords

    unknown = UnknownWords(kb)
    assert unknown("Welche Papiere brauche ich 2017 für den Reisepass?") == ["Reisepass"]
    assert unknown("Wo gibt es die Formlare und Vordrucke?") == []  # a typo, and a synonym since the ninth round
    assert unknown("gibbet da wat für vereine") == []  # Ruhrdeutsch from the lexicon
    assert unknown("Darf ein Start-up aus Hattingen bei Umbau 21 in der Emscher-Lippe-Region mitmachen?") == [
        "Hattingen"
    ]
    assert unknown("Meine IBAN ist [IBAN], z. B. für die Wärmepumpe mit 3D-Druck") == ["IBAN", "Wärmepumpe", "Druck"]
    assert unknown("Can I apply with my passport?") == []
    assert unknown("Hallo, mein Name ist Sabine Kretschmer. Gibt es Geld für eine Wärmepumpe? LG Sabine") == [
        "Wärmepumpe"
    ]  # a writer's name is nothing to teach the knowledge base
    # nor a salutation, a sign-off or the introduction a stored question keeps of a replaced name
    signed = "Sehr geehrte Damen und Herren,\nGeht es per Fax?\n\nMit freundlichen Grüßen\nDr. [Name]\nTel. [Telefon]"
    assert unknown(signed) == ["Fax"]
    assert unknown("Ich heiße [Name], geht es per Fax?") == ["Fax"]


def test_a_lexicon_word_whose_replacement_no_entry_uses_is_listed_as_written(knowledge_copy):
    """Staff see the word they wrote the line for, and that the line does not help yet."""
    from bot.engine.vocabulary import UnknownWords

    write_lexicon(knowledge_copy, "umgangssprache:\n  durchwinken: Gummistempel\n  abnicken: Beschluss\n")
    unknown = UnknownWords(load_knowledge(knowledge_copy))
    assert unknown("Muss der Rat das durchwinken oder abnicken?") == ["durchwinken"]


@pytest.mark.parametrize("written", ["Glück auf!", "glueck auf!", "gluck auf!", "GLÜCK AUF!"])
def test_a_lexicon_word_with_umlauts_matches_its_chat_spellings(written):
    """In a chat "ü" is often "ue" or "u": one line in the lexicon covers all three."""
    rewriter = Rewriter({"umgangssprache": {"glück auf": "Hallo", "tschö": "Tschüss"}})
    assert rewriter.rewrite(written, english=False) == "Hallo!"
    assert rewriter.rewrite("tschoe", english=False) == "Tschüss"
    assert rewriter.rewrite("Glückauf", english=False) == "Glückauf"  # still whole words only


def test_a_dotted_capital_i_or_a_typographic_apostrophe_does_not_break_the_rewrite():
    """ "İ" matches the key "i" under IGNORECASE but folds to two letters: the replacement is found by
    the alternative that matched, not by folding the text again."""
    rewriter = Rewriter({"englisch": {"i": "ich", "is there": "gibt es", "don't": "nicht"}})
    assert rewriter.rewrite("İs there a form? İ don\u2019t know.", english=True) == "gibt es a form? ich nicht know."


def test_the_shipped_chat_words_are_understood(engine, before):
    reply = engine.reply("tschoe", before)  # "tschö" without its umlaut
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "tschuess"
    assert engine.rewriter.rewrite("wat weisste, isses wielang?", english=False) == "was weißt du, ist es wie lange?"


def test_a_lexicon_word_with_sharp_s_matches_however_it_is_written():
    """Keys are casefolded ("Außenstelle" → "aussenstelle"); the text keeps its ß."""
    rewriter = Rewriter({"umgangssprache": {"außenstelle": "Niederlassung", "strasse": "Weg"}})
    rewritten = rewriter.rewrite("Zählt eine Außenstelle an der Straße?", english=False)
    assert rewritten == "Zählt eine Niederlassung an der Weg?"
    assert rewriter.rewrite("eine Aussenstelle", english=False) == "eine Niederlassung"


def test_rewritten_names_the_lexicon_lines_a_text_triggers():
    """kb check blames the lexicon with the very matching the engine uses (chat spellings included)."""
    rewriter = Rewriter({"umgangssprache": {"förderquote": "Kohle", "frist": "Kohle"}})
    assert rewriter.rewritten("Wie hoch ist die Foerderquote?", english=False) == [("förderquote", "Kohle")]
    assert rewriter.rewritten("Frist-Ende?", english=False) == []  # a hyphenated word is not rewritten
