from __future__ import annotations

import pytest

from bot.engine import Outcome


def texts(engine, question: str) -> list[str]:
    return [term.text for term in engine.matcher.normalizer.terms(question)]


@pytest.mark.parametrize(
    ("variant", "reference"),
    [
        ("Förderung", "Foerderung"),
        ("Förderung", "Forderung"),
        ("Universität", "universitaet"),
        ("Einsendeschluß", "Einsendeschluss"),
        ("ANTRÄGE", "antraege"),
        ("Fördermittel", "Zuschuss"),
        ("Stichtag", "Deadline"),
        ("Firma", "KMU"),
        ("Uni", "Fachhochschule"),
        ("Gemeinde", "Kommune"),
        ("Höchstgrenze", "Obergrenze"),
        ("Tischlerei", "Firma"),
        ("zahlt", "finanziert"),
        ("Eigenmittel", "Eigenanteil"),
        ("Prüfung", "Begutachtung"),
        ("Vest", "Region"),
        ("Start-ups", "Firma"),
    ],
)
def test_spellings_and_synonyms_meet(engine, variant, reference):
    assert texts(engine, variant) == texts(engine, reference)


def test_compound_and_its_parts_share_terms(engine):
    compound = set(texts(engine, "Kooperationspartner"))
    parts = set(texts(engine, "Partner für die Kooperation"))
    assert compound <= parts


def test_compound_split_into_known_words(engine):
    assert texts(engine, "Digitalisierungsprojekt") == texts(engine, "Digitalisierung Projekt")


def test_typo_is_corrected_with_lower_confidence(engine):
    (term,) = engine.matcher.normalizer.terms("Bewerbungsfirst")
    assert term.text == texts(engine, "Frist")[0]
    assert term.confidence < 1.0


def test_short_words_are_not_forced_onto_the_vocabulary(engine):
    assert texts(engine, "Gestern") == ["gest"]


def test_punctuation_emoji_and_empty_text_vanish(engine):
    assert texts(engine, "") == []
    assert texts(engine, "   \n\t ") == []
    assert texts(engine, "🙂🎉!!! ???") == []


def test_nouns_inside_a_sentence_are_marked(engine):
    terms = engine.matcher.normalizer.terms("Bis wann muss ich die Hundesteuer bezahlen?")
    assert [t.noun for t in terms if t.text.startswith("hund")] == [True]
    assert not terms[0].noun  # the sentence's first word is capitalised anyway


def test_a_word_that_casefolding_cuts_in_two_does_not_shift_the_noun_marks(engine):
    terms = engine.matcher.normalizer.terms("Gibt es in İzmir eine Hundesteuer?")  # "İ" casefolds to "i̇"
    assert [t.noun for t in terms if t.text.startswith("hund")] == [True]
    assert not any(t.noun for t in terms if t.text.startswith("ein"))


def test_in_lower_case_text_only_a_long_compound_is_taken_for_a_noun(engine):
    # The noun lexicon lists "schreiben" and "sommer" too: lower case gives little evidence of a noun.
    assert not any(t.noun for t in engine.matcher.normalizer.terms("darf ich auf englisch schreiben"))
    terms = engine.matcher.normalizer.terms("bis wann muss ich die hundesteuer bezahlen")
    assert [t.noun for t in terms if t.text.startswith("hund")] == [True]


def test_typos_are_matched_on_the_written_word(engine):
    assert texts(engine, "Parnter") == texts(engine, "Partner")
    assert texts(engine, "Datne") == texts(engine, "Daten")


def test_a_real_german_noun_is_not_corrected_into_a_knowledge_word(engine):
    # One letter away from "Letter" (of Intent), but a word of its own: it stays unknown.
    assert "lett" not in texts(engine, "Und wie ist das Wetter?")
    assert texts(engine, "Partner") == texts(engine, "Parnter")


def test_an_inflected_verb_is_read_as_its_known_stem_not_as_a_typo(engine):
    # The stemmer keeps the -t of "wählt"; one letter away lies "zahlt", but the verb is "wählen".
    assert texts(engine, "wählt") == texts(engine, "wählen")


def test_a_separable_verb_is_read_as_one_word(engine):
    # "wählt … aus" is "auswählen", the selection; "wählt" alone would be any vote (Landtagswahl).
    assert "auswahl" in texts(engine, "Wer wählt die Projekte aus?")
    assert texts(engine, "Wer wählt die Projekte aus?") == texts(engine, "Wer auswählt die Projekte?")
    # A particle the knowledge base knows no verb for stays as written.
    assert texts(engine, "Ich komme aus Marl") == texts(engine, "ich komme aus marl")


def test_how_much_and_how_many_stay_apart_and_are_not_stopwords(engine):
    how_much, how_many = texts(engine, "Wie viel?"), texts(engine, "Wie viele?")
    assert how_much != how_many
    assert texts(engine, "wieviel") == how_much and texts(engine, "wieviele") == how_many
    assert not any(engine.matcher.normalizer.is_stopword(term) for term in how_much + how_many)


@pytest.mark.parametrize("question", ["Wie ist das Wetter in Marl?", "wie ist das wetter in marl"])
def test_a_noun_after_in_or_aus_names_a_place(engine, question):
    places = {term.text: term.place for term in engine.matcher.normalizer.terms(question)}
    assert places[texts(engine, "Marl")[0]] and not places[texts(engine, "Wetter")[0]]
    assert not any(term.place for term in engine.matcher.normalizer.terms("Ist Marl dabei?"))


def test_in_lower_case_a_word_after_aus_is_still_a_place(engine):
    assert [t.place for t in engine.matcher.normalizer.terms("sind aus herten")] == [False, False, True]


@pytest.mark.parametrize(
    "question",
    [
        "darf ich auf englisch schreiben",
        "wird die mwst gefördert",
        "mussich da n partner ham",
        "tach",
        "kann ich dat solo machen",
    ],
)
def test_chat_questions_in_lower_case_reach_their_entry(engine, before, question):
    assert engine.reply(question, before).outcome is Outcome.ANSWER


@pytest.mark.parametrize(("participle", "verb"), [("abgegeben", "abgeben"), ("angemeldet", "anmelden")])
def test_a_past_participle_is_read_as_its_known_verb(engine, participle, verb):
    assert texts(engine, participle) == texts(engine, verb)


@pytest.mark.parametrize("form", ["sucht", "suchen", "sucht ihr"])
def test_a_verb_form_is_read_as_the_participle_the_knowledge_base_writes(engine, form):
    """The shipped knowledge base asks "Welche Projekte werden gesucht?"; the stemmer keeps the "ge-"."""
    assert texts(engine, form)[:1] == texts(engine, "gesucht")


@pytest.mark.parametrize(
    "adverb",
    [
        *("grundsätzlich", "tatsächlich", "vielleicht", "zusätzlich", "darüber", "hinein"),
        *("her", "einfach", "irgendwo", "damals", "bloß", "gerade"),
        *("sowas", "ey", "bisschen", "ziemlich"),
    ],
)
def test_a_sentence_adverb_or_chat_particle_is_a_filler(engine, adverb):
    # "grundsätzlich" was split into the known "Grund" and an unknown "ätzlich": two false signals;
    # chat particles the knowledge base never uses ("her", "damals") weighed like a rare word.
    assert all(engine.matcher.normalizer.is_stopword(term) for term in texts(engine, adverb))


def test_komplett_asks_about_the_whole_cost_and_is_no_filler(engine, before):
    # "Wird das komplett gefördert?" asks whether everything is paid; as a filler it got what is funded
    reply = engine.reply("Wird das komplett gefördert?", before)
    assert not (reply.entry and reply.entry.id == "was-wird-gefoerdert")


def test_a_separable_her_does_not_hide_where_to_get_the_documents(engine, before):
    reply = engine.reply("Wo bekommt man die Bewerbungsunterlagen her?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "documents"


@pytest.mark.parametrize("question", ["Ist so etwas grundsätzlich förderfähig?", "ey, is sowas förderfähig?"])
def test_a_filler_adverb_does_not_hide_the_question(engine, before, question):
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.id == "was-wird-gefoerdert"


def test_a_known_head_is_split_off_only_before_a_noun(engine):
    normalizer = engine.matcher.normalizer
    assert normalizer.split_unknown("Grundsteuer") == [texts(engine, "Grund")[0], texts(engine, "Steuer")[0]]
    # "Nachbar-s-chaftsnetz" and "Best-ellungen" were cut into a known word and a fragment.
    assert normalizer.split_unknown("Nachbarschaftsnetz") is None
    assert normalizer.split_unknown("Bestellungen") is None


@pytest.mark.parametrize(
    "question", ["bis zu welchem Tag muss die Skizze da sein?", "bis zu welchem zeitpunkt geht das noch"]
)
def test_a_paraphrase_of_bis_wann_asks_for_the_deadline(engine, before, question):
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "deadline"


def test_a_pronominal_adverb_does_not_hide_the_question(engine, before):
    reply = engine.reply("Was muss in den Antrag rein?", before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == "documents"


def test_a_filler_is_never_the_stem_of_a_content_word(engine):
    # "eig." (eigentlich) would have made "eigenes" a stopword: "ein eigenes Förderprogramm".
    assert not engine.matcher.normalizer.is_stopword(texts(engine, "eigenes")[0])


@pytest.mark.parametrize(
    "question",
    [
        "Dürfen Schulen mitmachen?",
        "Kann sich ein Berufskolleg bewerben?",
        "Ist eine Volkshochschule antragsberechtigt?",
    ],
)
def test_schools_are_educational_institutions_and_may_apply(engine, before, question):
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and "Bildungseinrichtungen" in reply.body


def test_a_noun_after_fuer_in_the_question_is_what_it_is_asked_for(engine):
    targets = {t.text: t.target for t in engine.matcher.normalizer.terms("Gibt es eine Frist für die Polizei?")}
    assert targets[texts(engine, "Polizei")[0]] and not targets[texts(engine, "Frist")[0]]
    # In the introduction before the question it only tells about the writer.
    told = engine.matcher.normalizer.terms("Wir sind ein Start-up für Drohnen. Gibt es eine Frist?")
    assert not any(t.target for t in told)
    beside = {t.text: t.target for t in engine.matcher.normalizer.terms("Wie schütze ich meine Daten bei WhatsApp?")}
    assert beside[texts(engine, "WhatsApp")[0]]


def test_whose_it_is_belongs_to_what_it_is_asked_for(engine, before):
    """ "die Frist für die Verlängerung meines Führerscheins": the licence is what the question is
    about, though the noun right after "für" is one the knowledge base knows."""
    question = "Was ist die Frist für die Verlängerung meines Führerscheins?"
    targets = {t.text: t.target for t in engine.matcher.normalizer.terms(question)}
    assert targets[texts(engine, "Führerscheins")[0]]
    assert engine.reply(question, before).outcome is Outcome.FALLBACK


@pytest.mark.parametrize(
    "question",
    [
        "Wie hoch ist der Zuschuss für ein Jobticket?",
        "Ist die Bewerbungsfrist für das Deutschlandstipendium schon vorbei?",
        "Brauche ich einen Partner für den Tanzkurs?",
        "Wie schütze ich meine Daten bei WhatsApp?",
    ],
)
def test_a_call_word_asked_for_something_else_is_not_answered(engine, before, question):
    assert engine.reply(question, before).outcome is not Outcome.ANSWER


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Gibt es eine Frist für die Projektskizze?", "deadline"),
        ("Gibt es Zuschüsse für Personalkosten?", "funding"),
        ("Wie hoch ist der Eigenanteil bei Hochschulen?", "funding"),
        ("Gibt es Unterstützung bei der Partnersuche?", "cooperation"),
    ],
)
def test_a_call_word_asked_for_something_the_call_knows_is_answered(engine, before, question, topic):
    reply = engine.reply(question, before)
    assert reply.outcome is Outcome.ANSWER and reply.entry.topic == topic
