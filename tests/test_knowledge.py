"""The knowledge base and `kb check`: staff learn file, line and what to do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge import TOPICS, KnowledgeError, Severity, load_knowledge, read_knowledge


def problems_of(root: Path, today: date | None = None) -> list[str]:
    return [str(p) for p in read_knowledge(root, today)[1]]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def test_shipped_knowledge_covers_every_topic_with_enough_entries(kb):
    assert len(kb.entries) >= 40
    assert {entry.topic for entry in kb.entries} == set(TOPICS)
    for entry in kb.entries:
        assert len(entry.questions) >= 6, entry.id
        assert entry.reviewed is not None, entry.id


def test_shipped_knowledge_has_no_problems(kb):
    assert read_knowledge(kb.root, date(2026, 11, 29))[1] == []


def test_yaml_syntax_error_names_file_and_line(knowledge_copy):
    path = knowledge_copy / "entries" / "deadline.yaml"
    line = line_of(path, "    - Wann ist Bewerbungsschluss?")
    replace_in(path, "    - Wann ist Bewerbungsschluss?", "    - [Wann ist Bewerbungsschluss?")
    (problem,) = [p for p in problems_of(knowledge_copy) if "deadline.yaml" in p]
    assert "YAML-Syntaxfehler" in problem
    # libyaml notices the missing "]" later; the message still points at where it began.
    assert f"beginnt in Zeile {line}" in problem


def test_duplicate_key_is_an_error_with_its_line(knowledge_copy):
    path = knowledge_copy / "entries" / "funding.yaml"
    line = line_of(path, "  topic: funding")
    replace_in(path, "  topic: funding\n", "  topic: funding\n  topic: scope\n")
    assert any(f"funding.yaml:{line + 1}" in p and "doppelt" in p for p in problems_of(knowledge_copy))


def test_unknown_topic_bad_date_and_dangling_related_are_errors(knowledge_copy):
    path = knowledge_copy / "entries" / "region.yaml"
    replace_in(path, "topic: region", "topic: regional")
    replace_in(path, "reviewed: 2026-11-30", "reviewed: gestern")
    replace_in(path, "related: [region-was, partner-ausserhalb]", "related: [gibt-es-nicht]")
    found = problems_of(knowledge_copy)
    assert any("unbekanntes topic „regional“" in p and f"region.yaml:{line_of(path, 'regional')}" in p for p in found)
    assert any("„reviewed“ ist kein Datum" in p for p in found)
    assert any("unbekannte id „gibt-es-nicht“" in p for p in found)
    with pytest.raises(KnowledgeError):
        load_knowledge(knowledge_copy)


def test_a_review_date_in_the_future_is_a_typo(knowledge_copy):
    path = knowledge_copy / "entries" / "region.yaml"
    replace_in(path, "reviewed: 2026-11-30", "reviewed: 2062-11-30")
    found = problems_of(knowledge_copy, date(2026, 11, 29))
    line = line_of(path, "reviewed: 2062-11-30")
    assert f"{path}:{line}: Warnung: „reviewed: 2062-11-30“ liegt in der Zukunft: Tippfehler im Jahr?" in found
    assert len(found) == 1  # a review a few days ahead (a clock off) is no problem


def test_an_impossible_deadline_is_one_error_at_its_line(knowledge_copy):
    """ "Ein kaputter Eintrag erzeugt genau seinen Fehler": not also "deadlines needs a deadline"."""
    call = knowledge_copy / "call.yaml"
    replace_in(call, "date: 2017-02-17", "date: 2017-02-30")
    line = line_of(call, "date: 2017-02-30")
    found = [p for p in problems_of(knowledge_copy) if "call.yaml" in p]
    assert found == [f"{call}:{line}: Fehler: „date“: den 2017-02-30 gibt es nicht – Monat und Tag prüfen"]


def test_duplicate_id_is_an_error(knowledge_copy):
    replace_in(knowledge_copy / "entries" / "region.yaml", "id: region-nicht", "id: region-was")
    assert any("id „region-was“ gibt es schon" in p for p in problems_of(knowledge_copy))


def test_missing_answer_and_questions_are_errors(knowledge_copy):
    path = knowledge_copy / "entries" / "smalltalk.yaml"
    path.write_text("- id: leer\n  topic: smalltalk\n  reviewed: 2026-11-29\n", encoding="utf-8")
    found = problems_of(knowledge_copy)
    assert any("smalltalk.yaml:1" in p and "„questions“ fehlt" in p for p in found)
    assert any("smalltalk.yaml:1" in p and "„answer“ fehlt" in p for p in found)


def test_warnings_for_sources_and_old_reviews(knowledge_copy):
    path = knowledge_copy / "entries" / "scope.yaml"
    replace_in(
        path,
        "  sources:\n    - url: http://www.fz-juelich.de/SharedDocs/Meldungen/ETN/DE/StartAufrufUmbau21.html\n"
        '      quote: "projects that contribute to the digital transformation, '
        "strengthen the region's economic power and raise employment\"\n      quote_kind: summary\n",
        "",
    )
    replace_in(
        path,
        "  reviewed: 2026-11-30\n  related: [was-wird-gefoerdert, breitband]\n",
        "  reviewed: 2020-01-01\n  related: [was-wird-gefoerdert, breitband]\n",
    )
    kb, problems = read_knowledge(knowledge_copy, date(2026, 11, 29))
    assert kb is not None, "warnings must not stop the bot"
    warnings = [str(p) for p in problems if p.severity is Severity.WARNING]
    assert any("„sources“ fehlt" in w for w in warnings)
    assert any("2020-01-01" in w and "über einem Jahr" in w for w in warnings)


def test_duplicate_phrasing_across_entries_is_a_warning(knowledge_copy):
    region = knowledge_copy / "entries" / "region.yaml"
    replace_in(region, "    - Zählt Bochum dazu?", "    - Wer ist zur Bewerbung berechtigt?")
    assert any(
        "„Wer ist zur Bewerbung berechtigt?“ steht schon in „wer-darf-sich-bewerben“" in p
        for p in problems_of(knowledge_copy)
    )


def test_too_few_phrasings_are_counted_in_german(knowledge_copy):
    (knowledge_copy / "entries" / "new.yaml").write_text(
        """- id: ganz-neu
  topic: deadline
  questions:
    - Gibt es eine Nachfrist für Nachzügler?
  answer: Neu.
  source: https://example.org
  reviewed: 2026-11-29
""",
        encoding="utf-8",
    )
    assert any("new.yaml:3: Warnung: nur 1 Formulierung; mindestens 6" in p for p in problems_of(knowledge_copy))


def test_related_naming_itself_or_an_id_twice_is_a_warning(knowledge_copy):
    path = knowledge_copy / "entries" / "eligibility.yaml"
    replace_in(
        path,
        "  related: [wer-darf-sich-bewerben, freiberufler, de-minimis]",
        "  related: [wer-darf-sich-bewerben, unternehmen-bewerben, de-minimis, de-minimis]",
    )
    line = line_of(path, "- id: unternehmen-bewerben")
    assert any(
        f"eligibility.yaml:{line}: Warnung: „related“ nennt den Eintrag selbst" in p
        for p in problems_of(knowledge_copy)
    )


def test_missing_folder_and_files(tmp_path):
    assert "Wissensordner nicht gefunden" in problems_of(tmp_path / "nope")[0]
    (tmp_path / "call.yaml").write_text("name: x\n", encoding="utf-8")
    assert f"eine Datei, kein Ordner: den Wissensordner angeben ({tmp_path})" in problems_of(tmp_path / "call.yaml")[0]
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "deadline.yaml").write_text("[]\n", encoding="utf-8")
    inside = problems_of(tmp_path / "entries" / "deadline.yaml")[0]
    assert inside.endswith(f"den Wissensordner angeben ({tmp_path})")  # the folder with call.yaml, not entries/
    (tmp_path / "entries" / "deadline.yaml").unlink()
    (tmp_path / "entries").rmdir()
    (tmp_path / "call.yaml").unlink()
    found = problems_of(tmp_path)
    assert any("call.yaml: Fehler: Datei fehlt" in p for p in found)
    assert any("keine Einträge gefunden" in p for p in found)


def test_kb_check_reports_a_stolen_question(knowledge_copy, capsys):
    # A new entry whose phrasings take over an old entry's questions.
    (knowledge_copy / "entries" / "new.yaml").write_text(
        """- id: neue-frist
  topic: deadline
  questions:
    - Bis zu welchem Tag läuft die Bewerbungsfrist?
    - Bis wann muss meine Projektidee eingereicht sein?
    - Wann ist Bewerbungsschluss?
    - Stichtag für die Bewerbung?
    - bis wann muss die projektskizze da sein
    - Was ist die Deadline?
  answer: Neu.
  source: https://example.org
  reviewed: 2026-11-29
""",
        encoding="utf-8",
    )
    code = main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"])
    out = capsys.readouterr().out
    assert code == 0  # warnings only
    assert "Bis zu welchem Tag läuft die Bewerbungsfrist?" in out and "Formulierungen schärfen" in out
    assert "frist-bewerbungsschluss" in out
    assert "0 Fehler" in out


def test_kb_check_exits_non_zero_on_errors(knowledge_copy, capsys):
    replace_in(knowledge_copy / "call.yaml", "date: 2017-02-17", "date: 17.02.2017")
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    out = capsys.readouterr().out
    assert f"call.yaml:{line_of(knowledge_copy / 'call.yaml', 'date: 17.02.2017')}: Fehler" in out


def test_kb_check_warns_while_no_one_responsible_can_be_reached(knowledge_copy, capsys):
    # The shipped placeholder names no one: /datenschutz would tell users nobody to write to.
    call = knowledge_copy / "call.yaml"
    assert main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert f"call.yaml:{line_of(call, 'responsible:')}: Warnung: „responsible“ nennt keine Kontaktdaten" in out


@pytest.mark.parametrize(
    "responsible",
    [
        "Beispiel GmbH, Hauptstraße 1, 45657 Recklinghausen",
        "Beispiel GmbH, datenschutz@example.org",
        "Beispiel GmbH, Telefon 0209 1234567",
        "Beispiel GmbH, https://example.org/impressum",
    ],
)
def test_a_reachable_responsible_passes(knowledge_copy, capsys, responsible):
    placeholder = 'responsible: "der Betreiber dieses Bots (siehe Website des Aufrufs)"'
    replace_in(knowledge_copy / "call.yaml", placeholder, f'responsible: "{responsible}"')
    assert main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"]) == 0
    assert "nennt keine Kontaktdaten" not in capsys.readouterr().out


def test_a_phrasing_lost_through_the_lexicon_points_to_the_lexicon(knowledge_copy, capsys):
    # "frist: Kohle" makes every deadline phrasing a question about money; the warnings sit on the
    # entries' lines, so they must say where the cause may be.
    replace_in(knowledge_copy / "lexicon.yaml", "  dat: das\n", "  dat: das\n  frist: Kohle\n")
    assert main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"]) == 0
    out = capsys.readouterr().out
    lost = [line for line in out.splitlines() if "deadline.yaml" in line and "Formulierungen schärfen" in line]
    assert lost and all("lexicon.yaml prüfen, es liest darin „frist“ → „Kohle“" in line for line in lost)


def test_a_todo_phrasing_is_an_error(knowledge_copy):
    path = knowledge_copy / "entries" / "deadline.yaml"
    replace_in(path, "    - Wann ist Bewerbungsschluss?", "    - 'TODO: Formulierung schreiben'")
    line = line_of(path, "TODO: Formulierung schreiben")
    assert any(
        f"deadline.yaml:{line}: Fehler: die Formulierung ist noch ein Platzhalter" in p
        for p in problems_of(knowledge_copy)
    )


def test_a_word_in_two_synonym_groups_is_reported_at_the_later_group(knowledge_copy, capsys):
    path = knowledge_copy / "synonyms.yaml"
    replace_in(path, "- [Kontakt, Ansprechpartner,", "- [Kontakt, Partner, Ansprechpartner,")
    assert main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"]) == 0
    out = capsys.readouterr().out
    line = line_of(path, "- [Kontakt, Partner,")
    expected = f"synonyms.yaml:{line}: Warnung: „Partner“ steht in zwei Synonymgruppen („Partner …“ und „Kontakt …“)"
    assert expected in out


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        # a colon in a phrasing makes it a key: say so, as for an answer
        (
            "entries/deadline.yaml",
            "    - Wann ist Bewerbungsschluss?",
            "    - Frage: Frist?",
            "Doppelpunkt mit Leerzeichen",
        ),
        # quoted, but no time of day: quoting is not the fix
        ("call.yaml", "date: 2017-02-17", 'date: 2017-02-17\n    time: "25:30"', 'als "HH:MM" (00:00 bis 23:59)'),
        ("synonyms.yaml", "- [Kosten, Ausgaben,", "- Kosten, Ausgaben\n- [Aufwand, Ausgaben,", "in eckige Klammern"),
        (
            "synonyms.yaml",
            "- [Kosten, Ausgaben,",
            "- Eigenanteil: Eigenmittel\n- [Aufwand, Ausgaben,",
            "keinen Doppelpunkt",
        ),
    ],
)
def test_yaml_mistakes_get_the_hint_that_fixes_them(knowledge_copy, file, old, new, expected):
    path = knowledge_copy / file
    replace_in(path, old, new)
    found = [p for p in problems_of(knowledge_copy) if file.split("/")[-1] in p and "Fehler" in p]
    assert any(expected in p for p in found), found


def test_a_synonym_clash_through_word_forms_names_both_groups(knowledge_copy, capsys):
    path = knowledge_copy / "synonyms.yaml"
    replace_in(path, "- [Kosten, Ausgaben,", "- [Kosten, Anträgen, Ausgaben,")
    assert main(["kb", "check", str(knowledge_copy), "--now", "2017-01-20T10:00:00+01:00"]) == 0
    line = line_of(path, "- [Kosten, Anträgen,")
    assert f"synonyms.yaml:{line}: Warnung: „Anträgen“ steht in zwei Synonymgruppen („Antrag …“ und „Kosten …“)" in (
        capsys.readouterr().out
    )
