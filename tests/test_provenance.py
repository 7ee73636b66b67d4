"""Every number in an answer stands in a quote of its sources; kb check names the line that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import Severity, read_knowledge
from bot.knowledge.provenance import backed, claims, in_digits


def entry_file(root: Path, answer: str, sources: str, topic: str = "funding") -> Path:
    path = root / "entries" / "beleg.yaml"
    questions = "".join(f"    - Testfrage Nummer {n} zum Beleg?\n" for n in range(6))
    path.write_text(
        f"- id: beleg\n  topic: {topic}\n  questions:\n{questions}  answer: {answer}\n{sources}"
        "  reviewed: 2026-11-30\n",
        encoding="utf-8",
    )
    return path


def problems(root: Path, severity: Severity) -> list[str]:
    return [str(p) for p in read_knowledge(root)[1] if p.severity is severity and "beleg.yaml" in str(p)]


def sources(quote: str, kind: str = "") -> str:
    extra = f"      quote_kind: {kind}\n" if kind else ""
    return f'  sources:\n    - url: https://example.org/seite\n      quote: "{quote}"\n{extra}'


@pytest.mark.parametrize(
    ("written", "quoted"),
    [
        ("17.02.2017", "Bewerbungsschluss ist der 17. Februar 2017"),
        ("17. Februar 2017", "deadline 17 February 2017"),
        ("30 Mio. Euro", "auf 30 Millionen Euro erhöht"),
        ("769.560,68 Euro", "gefördert mit 769.560,68 Euro"),
        ("90 %", "bis zu 90 Prozent der Gesamtausgaben"),
        ("September 2017", "Bescheid vom 14.09.2017"),
        ("12:30 Uhr", "12:30–14:00"),
        ("mit seinen zehn Städten", "the Kreis Recklinghausen with its ten towns"),
        ("dreißig Millionen Euro", "auf 30 Millionen Euro erhöht"),
    ],
)
def test_numbers_are_compared_after_normalising_how_they_are_written(written, quoted):
    meant = {claim.meaning for claim in claims(in_digits(written))}
    assert meant and meant <= backed([quoted])


@pytest.mark.parametrize(
    ("written", "quoted"),
    [
        ("18.02.2017", "Bewerbungsschluss ist der 17. Februar 2017"),
        ("80 %", "bis zu 90 Prozent"),
        ("3 Millionen", "30 Millionen"),
        ("Oktober 2017", "14.09.2017"),
        ("zwölf Projekte", "10 Projekte"),
    ],
)
def test_a_different_number_is_not_backed(written, quoted):
    assert not {claim.meaning for claim in claims(in_digits(written))} <= backed([quoted])


def test_a_number_in_no_quote_fails_the_entry_with_its_line(knowledge_copy):
    path = entry_file(knowledge_copy, "Gefördert werden 85 % der Kosten.", sources("bis zu 90 Prozent"))
    (problem,) = problems(knowledge_copy, Severity.ERROR)
    assert "beleg.yaml:" in problem and "„85 %“ steht in keinem Zitat" in problem
    answer_line = path.read_text(encoding="utf-8").splitlines().index("  answer: Gefördert werden 85 % der Kosten.") + 1
    assert f"beleg.yaml:{answer_line}:" in problem
    assert read_knowledge(knowledge_copy)[0] is None


def test_a_number_in_words_needs_a_quote_too(knowledge_copy):
    """ "zwölf Uhr" and "fünf Millionen Euro" passed kb check, "12 Uhr" did not. Words are read less
    surely than figures, so they warn; "eine", "zwei", ranks and idioms claim nothing."""
    answer = (
        "Die Frist endet um zwölf Uhr; es gibt fünf Millionen Euro für eine oder zwei Ideen. Jedes dritte"
        " Projekt darf das außer Acht lassen, einige hundert Euro Eigenanteil kommen hinzu."
    )
    entry_file(knowledge_copy, answer, sources("Bewerbungsschluss ist der 17. Februar 2017"))
    assert problems(knowledge_copy, Severity.ERROR) == []
    found = problems(knowledge_copy, Severity.WARNING)
    assert len(found) == 2 and all("eine Zahl in Worten (als Ziffern: " in p for p in found), found
    assert "„12“" in found[0] and "„5000000 Euro“" in found[1]


def test_figures_are_reported_as_written(knowledge_copy):
    entry_file(knowledge_copy, "Es gibt 30 Millionen Euro.", sources("Bewerbungsschluss ist der 17. Februar 2017"))
    (problem,) = problems(knowledge_copy, Severity.ERROR)
    assert "„30 Millionen Euro“ steht in keinem Zitat" in problem  # not "30 Mio." from the reading of words
    assert problems(knowledge_copy, Severity.WARNING) == []


def test_quoted_numbers_placeholders_and_the_calls_name_pass(knowledge_copy):
    entry_file(
        knowledge_copy,
        "„Umbau 21 – Smart Region“ gibt bis zu 90 % bis zum {frist_datum}; Infos unter http://www.umbau21-smartregion.de",
        sources("bis zu 90 Prozent der Gesamtausgaben"),
    )
    assert problems(knowledge_copy, Severity.ERROR) == []
    assert problems(knowledge_copy, Severity.WARNING) == []


def test_a_summary_quote_backs_like_a_verbatim_one(knowledge_copy):
    entry_file(knowledge_copy, "Es gab über 30 Bewerbungen.", sources("over 30 applications", kind="summary"))
    assert problems(knowledge_copy, Severity.ERROR) == []


def test_an_entry_without_quotes_warns_but_loads(knowledge_copy):
    entry_file(knowledge_copy, "Das regeln die Unterlagen.", "  source: https://example.org/alt\n")
    (warning,) = problems(knowledge_copy, Severity.WARNING)
    assert "keine Zitate" in warning
    assert read_knowledge(knowledge_copy)[0] is not None


def test_bot_topics_need_no_quotes(knowledge_copy):
    entry_file(knowledge_copy, "Ich bin ein Programm.", "", topic="bot")
    assert problems(knowledge_copy, Severity.WARNING) == []


def test_a_deadline_date_missing_from_its_quotes_fails_kb_check(knowledge_copy, capsys):
    call = knowledge_copy / "call.yaml"
    text = call.read_text(encoding="utf-8")
    call.write_text(text.replace("date: 2017-02-17", "date: 2017-02-24"), encoding="utf-8")
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    assert "Frist „bewerbung“: das Datum 24.02.2017 steht in keinem Zitat" in capsys.readouterr().out


def test_every_shipped_entry_quotes_its_evidence(kb):
    for entry in kb.entries:
        if entry.topic not in ("bot", "smalltalk", "privacy"):
            assert any(source.quotes for source in entry.sources), entry.id


def test_a_variants_own_quote_backs_only_that_variant(knowledge_copy):
    later_source = (
        '      sources:\n        - url: https://example.org/bericht\n          quote: "über 30 Bewerbungen"\n'
    )
    entry_file(
        knowledge_copy,
        "\n    - until: erster-bescheid\n      text: Es gab 30 Bewerbungen.\n"
        f"    - from: erster-bescheid\n      text: Es gab über 30 Bewerbungen.\n{later_source}",
        sources("Die Auswahl steht aus."),
    )
    (problem,) = problems(knowledge_copy, Severity.ERROR)
    assert "„30“ steht in keinem Zitat" in problem
    path = knowledge_copy / "entries" / "beleg.yaml"
    first_variant = path.read_text(encoding="utf-8").splitlines().index("    - until: erster-bescheid") + 1
    assert f"beleg.yaml:{first_variant}:" in problem
