"""Answers with time windows: the right variant at every moment, and kb check finds gaps and overlaps."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import read_knowledge
from bot.knowledge.provenance import claims

DEADLINE = datetime.fromisoformat("2017-02-17T23:59:59+01:00")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def entry_file(root: Path, answer: str) -> Path:
    """One entry whose `answer:` block is given as YAML lines (indented by four spaces)."""
    path = root / "entries" / "zeit.yaml"
    questions = "".join(f"    - Testfrage Nummer {n} zur Zeit?\n" for n in range(6))
    path.write_text(
        f"- id: zeitfenster\n  topic: background\n  questions:\n{questions}  answer:\n{answer}  reviewed: 2026-11-30\n",
        encoding="utf-8",
    )
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def errors(root: Path) -> list[str]:
    return [str(p) for p in read_knowledge(root)[1] if p.severity.name == "ERROR"]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2017-01-20T10:00:00+01:00", "Der Aufruf läuft"),
        ("2017-02-17T23:59:59+01:00", "Der Aufruf läuft"),  # the deadline's last second still belongs to it
        ("2017-02-18T00:00:00+01:00", "Jetzt empfiehlt das Gutachtergremium"),
        ("2017-09-13T23:59:00+02:00", "Jetzt empfiehlt das Gutachtergremium"),
        ("2017-09-14T00:00:00+02:00", "14 Projekte wurden ausgewählt"),  # event without time: from its day
        ("2026-11-30T10:00:00+01:00", "SMART REGION"),
    ],
)
def test_the_variant_valid_at_the_clock_is_rendered(engine, moment, expected):
    entry = engine.kb.by_id["status-heute"]
    assert expected in engine.answer(entry, at(moment)).body


def test_an_event_with_a_time_switches_at_that_minute(engine):
    entry = engine.kb.by_id["auftakt"]
    assert "findet am 17. November 2016" in engine.answer(entry, at("2016-11-17T12:29:00+01:00")).body
    assert "war am 17. November 2016" in engine.answer(entry, at("2016-11-17T12:30:00+01:00")).body


def test_kb_eval_now_judges_the_variant_of_that_moment(tmp_path, capsys):
    questions = tmp_path / "phasen.yaml"
    questions.write_text('- {q: "Wie viele Bewerbungen gab es?", topic: selection, mentions: [["über 30"]]}\n')
    main(["kb", "eval", str(questions), "--now", "2017-01-20T10:00:00+01:00"])
    assert "mentions missing: 1" in capsys.readouterr().out
    main(["kb", "eval", str(questions), "--now", "2018-01-20T10:00:00+01:00"])
    assert "mentions missing: 0" in capsys.readouterr().out


def test_a_gap_between_variants_is_an_error_with_file_and_line(knowledge_copy):
    path = entry_file(
        knowledge_copy,
        "    - until: bewerbung\n      text: Vorher.\n    - from: erster-bescheid\n      text: Nachher.\n",
    )
    (problem,) = [p for p in errors(knowledge_copy) if "zeit.yaml" in p]
    assert "Lücke" in problem and "„bewerbung“" in problem and "„erster-bescheid“" in problem
    assert f"zeit.yaml:{line_of(path, '- from: erster-bescheid')}:" in problem


def test_an_overlap_is_an_error_with_file_and_line(knowledge_copy):
    path = entry_file(
        knowledge_copy,
        "    - until: erster-bescheid\n      text: Vorher.\n    - from: bewerbung\n      text: Nachher.\n",
    )
    (problem,) = [p for p in errors(knowledge_copy) if "zeit.yaml" in p]
    assert f"zeit.yaml:{line_of(path, '- from: bewerbung')}:" in problem and "Überschneidung" in problem


def test_open_ends_and_unknown_names_are_errors(knowledge_copy):
    path = entry_file(
        knowledge_copy,
        "    - from: 2017-01-01\n      until: bewerbung\n      text: Mitte.\n"
        "    - from: bewerbung\n      until: gibt-es-nicht\n      text: Danach.\n",
    )
    found = [p for p in errors(knowledge_copy) if "zeit.yaml" in p]
    assert any(f"zeit.yaml:{line_of(path, '- from: 2017-01-01')}:" in p and "vor „2017-01-01“" in p for p in found)
    unknown = f"zeit.yaml:{line_of(path, 'gibt-es-nicht')}:"
    assert any(unknown in p and "bekannt: auftakt, bewerbung" in p for p in found)


def test_a_misspelt_name_gives_its_own_error_and_no_false_overlap(knowledge_copy):
    entry_file(
        knowledge_copy,
        "    - until: bewerbung\n      text: Vorher.\n"
        "    - from: bewerbung\n      until: erster-bescheit\n      text: Dazwischen.\n"
        "    - from: erster-bescheid\n      text: Danach.\n",
    )
    found = [p for p in errors(knowledge_copy) if "zeit.yaml" in p]
    assert len(found) == 1 and "„erster-bescheit“ ist weder ein Datum" in found[0]


def test_a_broken_deadline_in_call_yaml_is_one_error_not_an_overlap_in_every_phased_entry(knowledge_copy):
    call = knowledge_copy / "call.yaml"
    call.write_text(
        call.read_text(encoding="utf-8").replace("date: 2017-02-17", "date: 2017-02-30", 1), encoding="utf-8"
    )
    found = errors(knowledge_copy)
    assert any("2017-02-30 gibt es nicht" in p for p in found)
    assert not any("Überschneidung" in p or "Lücke" in p for p in found), found


def test_seamless_variants_pass_and_dates_work_as_boundaries(knowledge_copy):
    entry_file(
        knowledge_copy,
        "    - until: 2017-01-01\n      text: Alt.\n    - from: 2017-01-01\n      until: bewerbung\n      text: Neu.\n"
        "    - from: bewerbung\n      text: Vorbei.\n",
    )
    kb, problems = read_knowledge(knowledge_copy)
    assert kb is not None, [str(p) for p in problems]
    entry = kb.by_id["zeitfenster"]
    assert entry.answer_at(at("2016-12-31T23:59:00+01:00")) == "Alt."
    assert entry.answer_at(at("2017-01-01T00:00:00+01:00")) == "Neu."
    assert entry.answer_at(at("2017-02-18T00:00:00+01:00")) == "Vorbei."


def test_kb_check_prints_phase_errors_and_fails(knowledge_copy, capsys):
    entry_file(knowledge_copy, "    - until: bewerbung\n      text: Nur vorher.\n")
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    out = capsys.readouterr().out
    assert "zeit.yaml:" in out and "Lücke: ab „bewerbung“ gilt keine Variante" in out


@pytest.mark.parametrize(
    "moment",
    ["2016-11-18T09:00:00+01:00", "2017-01-20T10:00:00+01:00", "2017-02-17T23:00:00+01:00"],
)
def test_no_answer_before_the_deadline_mentions_a_later_date(engine, moment):
    """A bot rehearsed for the application phase must not know what happened after it."""
    later = []
    for entry in engine.kb.entries:
        text = engine.answer(entry, at(moment)).body
        for claim in claims(text):
            kind, _, value = claim.meaning.partition(":")
            if kind == "d":
                after = value > DEADLINE.date().isoformat()
            elif kind == "m":
                after = value > DEADLINE.strftime("%Y-%m")
            elif kind == "n" and 1990 <= float(value) <= 2100 and float(value).is_integer():
                after = float(value) > DEADLINE.year
            else:
                after = False
            if after:
                later.append(f"{entry.id}: {claim.written}")
    assert later == []


FUNDED_PROJECTS = ("SmartDemography", "Smart Networks", "DigiQuartier", "Thingsnet", "ProCheck", "über 30 Bewerbungen")


@pytest.mark.parametrize("moment", ["2017-01-20T10:00:00+01:00", "2017-06-01T10:00:00+02:00"])
def test_results_are_unknown_before_the_first_grant_decision(engine, moment):
    """The shipped knowledge names funded projects only from the day a source names them."""
    for entry in engine.kb.entries:
        body = engine.answer(entry, at(moment)).body
        assert not any(name in body for name in FUNDED_PROJECTS), entry.id


def test_the_source_shown_is_the_one_of_the_variant_given(engine):
    entry = engine.kb.by_id["auswahl-ergebnis"]
    before = engine.answer(entry, at("2017-01-20T10:00:00+01:00"))
    later = engine.answer(entry, at("2018-01-20T10:00:00+01:00"))
    assert later.source == "http://presse-service.de/meldung.aspx?fid=970371"  # the report of 14.09.2017
    assert before.source == entry.source != later.source
    assert f"Quelle: {later.source}" in later.text
