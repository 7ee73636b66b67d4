"""The eligibility check: the tree's validation, every path of the shipped tree, the terminal."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine.check import BINDING, check_step
from bot.knowledge import Severity, load_knowledge, read_knowledge
from bot.knowledge.checktree import MAX_DEPTH, PathError

AFTER = datetime.fromisoformat("2017-02-18T00:00:00+01:00")
LAST_OPEN_DAY = datetime.fromisoformat("2017-02-17T23:59:00+01:00")
SMALL_TREE = """\
start: wer
questions:
  - id: wer
    text: Wer bewirbt sich?
    options:
      - label: Unternehmen
        next: firma
      - label: Privatperson
        next: privat
results:
  - id: firma
    text: Unternehmen sind genannt.
    entries: [unternehmen-bewerben]
  - id: privat
    text: Privatpersonen sind nicht genannt.
    entries: [privatpersonen]
"""


def write_tree(root: Path, text: str) -> Path:
    path = root / "check.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line]
    return hits[nth - 1]


def errors(root: Path) -> list[str]:
    return [str(p) for p in read_knowledge(root, date(2026, 11, 29))[1] if p.severity is Severity.ERROR]


def warnings(root: Path) -> list[str]:
    return [str(p) for p in read_knowledge(root, date(2026, 11, 29))[1] if p.severity is Severity.WARNING]


# --- kb check: one test per kind of tree error ----------------------------------------------


def test_a_small_valid_tree_loads(knowledge_copy):
    write_tree(knowledge_copy, SMALL_TREE)
    kb = load_knowledge(knowledge_copy)
    assert [(path, result.id) for path, result in kb.check.paths()] == [((1,), "firma"), ((2,), "privat")]


def test_dangling_option_is_an_error_at_its_line(knowledge_copy):
    path = write_tree(knowledge_copy, SMALL_TREE.replace("next: privat", "next: privatmensch"))
    (error,) = errors(knowledge_copy)
    assert f"check.yaml:{line_of(path, 'next: privatmensch')}" in error and "führt ins Leere" in error


def test_a_cycle_is_an_error_naming_the_circle(knowledge_copy):
    tree = SMALL_TREE.replace("next: privat\n", "next: nochmal\n").replace(
        "results:",
        "  - id: nochmal\n    text: Sicher?\n    options:\n      - label: Ja\n        next: wer\n"
        "      - label: Nein\n        next: privat\nresults:",
    )
    path = write_tree(knowledge_copy, tree)
    (error,) = errors(knowledge_copy)
    assert f"check.yaml:{line_of(path, 'next: wer')}" in error and "Kreis: wer → nochmal → wer" in error


def test_a_question_without_enough_answers_is_an_error(knowledge_copy):
    tree = SMALL_TREE.replace("      - label: Privatperson\n        next: privat\n", "")
    path = write_tree(knowledge_copy, tree)
    found = errors(knowledge_copy)
    assert any(f"check.yaml:{line_of(path, 'options:')}" in e and "bei einem Ergebnis enden" in e for e in found)
    assert any("hat 1 Antwort; 2 bis 6" in e for e in found)


def test_too_many_answers_are_an_error(knowledge_copy):
    extra = "".join(f"      - label: Art {n}\n        next: firma\n" for n in range(5))
    write_tree(
        knowledge_copy,
        SMALL_TREE.replace("results:", "").replace(
            "        next: privat\n", "        next: privat\n" + extra + "results:\n"
        ),
    )
    assert any("hat 7 Antworten; 2 bis 6" in e for e in errors(knowledge_copy))


def test_a_linked_entry_must_exist(knowledge_copy):
    path = write_tree(knowledge_copy, SMALL_TREE.replace("[privatpersonen]", "[privatpersonen, gibt-es-nicht]"))
    (error,) = errors(knowledge_copy)
    assert f"check.yaml:{line_of(path, 'gibt-es-nicht')}" in error and "unbekannten Eintrag „gibt-es-nicht“" in error


def test_a_result_must_link_its_entries(knowledge_copy):
    path = write_tree(knowledge_copy, SMALL_TREE.replace("    entries: [privatpersonen]\n", ""))
    (error,) = errors(knowledge_copy)
    assert f"check.yaml:{line_of(path, 'id: privat')}" in error and "„entries“ fehlt" in error


def test_a_label_too_long_for_a_button_is_an_error(knowledge_copy):
    long_label = "Eine Privatperson ohne Firma, aber mit einer sehr guten Idee"
    path = write_tree(knowledge_copy, SMALL_TREE.replace("label: Privatperson", f"label: {long_label}"))
    (error,) = errors(knowledge_copy)
    assert f"check.yaml:{line_of(path, long_label)}" in error and "höchstens 40" in error


def test_a_path_too_long_for_button_data_is_an_error(knowledge_copy):
    chain = "".join(
        f"  - id: q{n}\n    text: Frage {n}?\n    options:\n      - label: weiter\n        next: q{n + 1}\n"
        "      - label: Ende\n        next: firma\n"
        for n in range(MAX_DEPTH)
    )
    chain += f"  - id: q{MAX_DEPTH}\n    text: Letzte?\n    options:\n      - label: A\n        next: firma\n"
    chain += "      - label: B\n        next: privat\n"
    tree = SMALL_TREE.replace("next: privat\n", "next: privat\n      - label: Kette\n        next: q0\n", 1)
    write_tree(knowledge_copy, tree.replace("results:", chain + "results:"))
    assert any(f"mehr als {MAX_DEPTH} Fragen" in e for e in errors(knowledge_copy))


def test_start_duplicate_ids_and_unknown_keys_are_errors(knowledge_copy):
    tree = (
        SMALL_TREE.replace("start: wer", "start: wen")
        .replace("id: privat", "id: firma")
        .replace("    text: Wer bewirbt sich?", "    text: Wer bewirbt sich?\n    hilfe: x")
    )
    path = write_tree(knowledge_copy, tree)
    found = errors(knowledge_copy)
    assert any("check.yaml:1:" in e and "„start“ nennt „wen“" in e for e in found)
    assert any(f"check.yaml:{line_of(path, 'id: firma', 2)}" in e and "id „firma“ gibt es schon" in e for e in found)
    assert any(f"check.yaml:{line_of(path, 'hilfe: x')}" in e and "unbekannter Schlüssel „hilfe“" in e for e in found)


def test_a_result_too_long_for_one_message_or_naming_an_unknown_deadline_is_an_error(knowledge_copy):
    tree = SMALL_TREE.replace("Unternehmen sind genannt.", "Satz. " * 600).replace(
        "Privatpersonen sind nicht genannt.", "Bis {frist_datum:abgabe}."
    )
    path = write_tree(knowledge_copy, tree)
    found = errors(knowledge_copy)
    assert any(
        f"check.yaml:{line_of(path, 'Satz.')}" in e and "3599 Zeichen; ein Ergebnis muss in eine Nachricht" in e
        for e in found
    )
    assert any(
        f"check.yaml:{line_of(path, 'abgabe')}" in e and "unbekannte Frist; bekannt: bewerbung" in e for e in found
    )


def test_yaml_syntax_error_in_the_tree_names_its_line(knowledge_copy):
    write_tree(knowledge_copy, SMALL_TREE.replace("    text: Wer bewirbt sich?", "    text: [Wer bewirbt sich?"))
    (error,) = errors(knowledge_copy)
    assert "check.yaml:" in error and "YAML-Syntaxfehler" in error


def test_unreachable_nodes_and_promises_are_warnings(knowledge_copy):
    tree = SMALL_TREE.replace("Privatpersonen sind nicht genannt.", "Sie sind antragsberechtigt.")
    tree += "  - id: vergessen\n    text: Niemand kommt hierher.\n    entries: [privatpersonen]\n"
    path = write_tree(knowledge_copy, tree)
    assert errors(knowledge_copy) == []
    found = warnings(knowledge_copy)
    assert any(f"check.yaml:{line_of(path, 'id: vergessen')}" in w and "nicht erreichbar" in w for w in found)
    assert any("„Sie sind antragsberechtigt“ klingt nach einer Entscheidung" in w for w in found)


def test_kb_check_reports_tree_errors_with_exit_code_1(knowledge_copy, capsys):
    path = write_tree(knowledge_copy, SMALL_TREE.replace("next: privat", "next: niemand"))
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    assert f"check.yaml:{line_of(path, 'next: niemand')}: Fehler:" in capsys.readouterr().out


def test_kb_check_summarises_the_shipped_tree(capsys):
    assert main(["kb", "check"]) == 0
    assert "check.yaml: 6 Fragen, 8 Ergebnisse, 14 Wege\n" in capsys.readouterr().out


def test_a_call_without_a_tree_has_no_check(knowledge_copy, capsys):
    (knowledge_copy / "check.yaml").unlink()
    assert load_knowledge(knowledge_copy).check is None
    assert main(["--knowledge", str(knowledge_copy), "check", "--path", "1"]) == 2
    assert "check.yaml fehlt" in capsys.readouterr().err


# --- the shipped Umbau 21 tree --------------------------------------------------------------


def test_every_result_of_the_shipped_tree_is_reachable_and_sourced(kb):
    reached = {result.id for _path, result in kb.check.paths()}
    results = {node_id for node_id, node in kb.check.nodes.items() if not hasattr(node, "options")}
    assert reached == results
    for result_id in results:
        assert all(kb.by_id[entry].source for entry in kb.check.nodes[result_id].entries), result_id


@pytest.mark.parametrize("moment", ["before", "last_open_day"])
def test_every_path_before_the_deadline_gives_a_sourced_result_and_the_binding_hint(kb, before, moment):
    now = before if moment == "before" else LAST_OPEN_DAY
    binding = BINDING.format(documents=kb.call.documents_url)
    for path, result in kb.check.paths():
        step = check_step(kb, path, now)
        assert step.result is result and step.notice is None
        assert step.text.endswith(binding), path
        assert "Die Frist endet" in step.closing[0]
        assert "Quelle: http" in step.text and "geschlossen" not in step.text
        assert "{" not in step.text  # every placeholder rendered


def test_every_path_after_the_deadline_says_first_that_the_call_is_closed(kb):
    binding = BINDING.format(documents=kb.call.documents_url)
    for path, _result in kb.check.paths():
        step = check_step(kb, path, AFTER)
        assert step.text.startswith("Der Aufruf ist geschlossen. Die Frist ist am 17. Februar 2017 abgelaufen")
        assert step.text.endswith(binding) and "Sie haben noch" not in step.text
        assert " sind im Aufruf" not in step.text  # the closed wording, in the past tense
    for path in [(), (1,), (1, 2)]:  # questions too
        assert check_step(kb, path, AFTER).text.startswith("Der Aufruf ist geschlossen.")


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("1,1", "Unternehmen aus der Emscher-Lippe-Region sind im Aufruf ausdrücklich genannt"),
        ("2,1", "Interkommunale Projekte sind ausdrücklich erwünscht"),
        ("3,1", "Hochschulen, Forschungseinrichtungen und Bildungseinrichtungen"),
        ("4,1", "Vereine und juristische Personen mit steuerbegünstigten Zwecken"),
        ("1,2,1", "Akteure von außerhalb können in einem gemeinsamen Projekt"),
        ("3,2,2", "von außerhalb allein gehören Sie nicht zu den Genannten"),
        ("5", "Privatpersonen werden im Aufruf nicht als Antragsteller genannt"),
        ("6", "WiN Emscher-Lippe GmbH"),  # {kontakt} rendered
    ],
)
def test_check_path_prints_the_result(path, says, capsys):
    assert main(["check", "--path", path, "--now", "2017-01-20T10:00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert says in out and "keine Zusage" in out


def test_check_path_refuses_paths_that_end_early_or_lead_nowhere(capsys):
    assert main(["check", "--path", "1,2"]) == 2
    assert "endet bei einer Frage" in capsys.readouterr().err
    assert main(["check", "--path", "1,7"]) == 2
    assert "Schritt 2: Antwort 7 gibt es hier nicht (1 bis " in capsys.readouterr().err
    assert main(["check", "--path", "5,1"]) == 2  # 5 (Privatperson) leads straight to a result
    assert "Schritt 2: der Weg endet schon nach Schritt 1 mit einem Ergebnis" in capsys.readouterr().err
    with pytest.raises(PathError):
        load_knowledge(Path(__file__).parent.parent / "knowledge").check.walk((0,))


def test_interactive_check_walks_back_and_restarts_by_numbers(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n9\n0\n5\nneu\n1\n2\n2\nexit\n"))
    assert main(["check", "--now", "2017-01-20T10:00:00+01:00"]) == 0
    out = capsys.readouterr().out
    assert "  6. Eine andere Organisation" in out
    assert "Bitte 1 bis 2, 0 (zurück) oder „neu“ eingeben." in out
    after_back = out.split("Ihre Wahl: 0", 1)[1]
    assert after_back.lstrip().startswith("Wer möchte sich mit dem Projekt bewerben?")
    assert "Privatpersonen werden im Aufruf nicht als Antragsteller genannt" in out
    assert out.rstrip().endswith("Ihre Wahl: exit")
    assert "von außerhalb allein gehören Sie nicht zu den Genannten" in out.split("Ihre Wahl: neu", 1)[1]
