"""The command-line contract, run as real processes the way staff and tools call it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_bad_conditions import empty_database

NOW = "2017-01-20T10:00:00+01:00"
REGRESSION = Path(__file__).parent / "data" / "regression.yaml"


def run(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, timeout=60, env=env
    )


def test_ask_json_contract():
    result = run("ask", "--json", "--now", NOW, "Wann ist die Bewerbungsfrist?")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    reply = json.loads(line)
    assert set(reply) >= {"question", "outcome", "entry", "topic", "score", "candidates", "text"}
    assert reply["question"] == "Wann ist die Bewerbungsfrist?"
    assert reply["outcome"] == "answer"
    assert reply["topic"] == "deadline" and isinstance(reply["entry"], str)
    assert 0 <= reply["score"] <= 100 and 0.8 <= reply["confidence"] <= 1  # the decision's certainty
    assert len(reply["candidates"]) >= 3
    assert reply["candidates"][0] == {"entry": reply["entry"], "topic": "deadline", "score": reply["score"]}
    assert "17. Februar 2017" in reply["text"] and "noch 4 Wochen" in reply["text"]


def test_ask_reads_one_question_per_line_from_stdin():
    result = run("ask", "--json", "--now", NOW, stdin="Wer darf sich bewerben?\n\nWie ist das Wetter heute?\nHallo\n")
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in replies] == ["Wer darf sich bewerben?", "Wie ist das Wetter heute?", "Hallo"]
    assert [r["outcome"] for r in replies] == ["answer", "fallback", "answer"]
    assert replies[1]["entry"] is None and replies[1]["topic"] is None
    assert "umbau21-smartregion.de" in replies[1]["text"]


def test_ask_renders_at_the_given_moment():
    after = json.loads(run("ask", "--json", "--now", "2017-03-01", "Wann ist die Frist?").stdout)
    assert "abgelaufen" in after["text"]


def test_plain_ask_prints_the_reply_text():
    result = run("ask", "--now", NOW, "Frist?")
    assert result.stdout.startswith("Bewerbungsschluss") and "Quelle: http" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ask", "--now", "morgen", "Frist?"), "kein Zeitpunkt nach ISO 8601"),
        (("ask", "--now", "", "Frist?"), "kein Zeitpunkt nach ISO 8601"),  # not silently "now"
        (("ask", "--now", "0001-01-01", "Frist?"), "nur Zeitpunkte von 1900 bis 2999"),  # was an OverflowError
        (("kb", "eval", str(REGRESSION), "--now", "9999-12-31"), "nur Zeitpunkte von 1900 bis 2999"),
        (("--knowledge", "/nonexistent", "ask", "Frist?"), "Wissensordner nicht gefunden"),
        (("kb", "eval", "/nonexistent.yaml"), "/nonexistent.yaml: nicht gefunden: Pfad prüfen"),
        (("kb", "fit", str(REGRESSION), "--compare", "/nonexistent.yaml"), "/nonexistent.yaml: nicht gefunden"),
    ],
)
def test_errors_are_one_clear_line_without_traceback(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "No such file" not in result.stderr  # German, not the system's text
    assert len(result.stderr.strip().splitlines()) == 1


def test_broken_knowledge_from_environment_is_reported(tmp_path):
    (tmp_path / "call.yaml").write_text("name: [kaputt\n", encoding="utf-8")
    result = run("ask", "Frist?", env={"FOERDERBOT_KNOWLEDGE": str(tmp_path), "PATH": ""})
    assert result.returncode == 2
    assert "call.yaml:" in result.stderr and "Traceback" not in result.stderr
    assert "(und 1 weiterer)" in result.stderr  # the entries folder is missing too
    assert result.stderr.rstrip().endswith(f"Details: foerderbot kb check {tmp_path}")  # the folder that was read
    assert " – Details:" in result.stderr  # not "… {frist_datum}?. Details:" after a message ending in "?"


def test_broken_knowledge_given_by_option_names_that_folder(tmp_path):
    result = run("ask", "--knowledge", str(tmp_path), "Frist?")
    assert result.returncode == 2 and result.stderr.rstrip().endswith(f"foerderbot kb check {tmp_path}")


def test_chat_answers_and_lets_the_user_pick_by_number():
    result = run("chat", "--now", NOW, stdin="Frist Partner\n1\nexit\n")
    assert result.returncode == 0
    assert "Meinten Sie …?" in result.stdout
    assert "  1. " in result.stdout
    # After picking option 1 the bot answers that entry.
    picked = result.stdout.split("Sie: 1", 1)[1]
    assert "Quelle:" in picked


def test_chat_asks_for_a_number_in_range():
    result = run("chat", "--now", NOW, stdin="Frist Partner\n7\n2\nexit\n")
    options = result.stdout.split("Sie: 7", 1)[0].count("\n  ")
    assert f"Bitte eine Nummer von 1 bis {options} eingeben oder neu fragen." in result.stdout
    assert "Quelle:" in result.stdout.split("Sie: 2", 1)[1]  # the list still counts after the slip


def test_chat_with_a_single_choice_asks_for_the_1():
    result = run("chat", "--now", NOW, stdin="Wird die Frist verlängert?\n5\nexit\n")
    assert "Bitte 1 eingeben oder neu fragen." in result.stdout and "von 1 bis 1" not in result.stdout


def test_chat_ends_on_end_of_input():
    result = run("chat", stdin="Hallo\n")
    assert result.returncode == 0
    assert "Hallo!" in result.stdout


def test_kb_eval_prints_the_metrics_last():
    result = run("kb", "eval", str(REGRESSION), "--now", NOW)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-4:]
    assert last[0].startswith("Fragen: ")
    assert "in-scope accuracy:" in last[1] and "clarify rate:" in last[1]
    assert "wrong-answer rate:" in last[2]
    assert "out-of-scope rejection:" in last[3]
    assert "Thema" in result.stdout and "eligibility" in result.stdout


def test_kb_check_on_the_shipped_base_passes():
    result = run("kb", "check", "--now", NOW)
    assert result.returncode == 0
    assert "0 Fehler" in result.stdout


def test_console_script_is_installed():
    result = subprocess.run(["foerderbot", "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    for command in ("ask", "chat", "kb"):
        assert command in result.stdout


def test_reminders_command_lists_the_schedule(tmp_path):
    empty_database(tmp_path)
    result = run("reminders", "--data-dir", str(tmp_path))
    assert result.returncode == 0
    for day in (
        "3. Februar 2017, 09:00",
        "10. Februar 2017, 09:00",
        "16. Februar 2017, 09:00",
        "17. Februar 2017, 09:00",
    ):
        assert day in result.stdout
    assert "Abonnenten: 0" in result.stdout


def test_reminders_without_a_database_show_the_plan_but_not_zeros(tmp_path):
    result = run("reminders", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "17. Februar 2017, 09:00" in result.stdout and "Abonnenten" not in result.stdout
    assert "gesendet" not in result.stdout and "unsicher" not in result.stdout  # no status columns of zeros
    assert result.stderr.startswith("foerderbot: keine Datenbank unter")


def test_kb_eval_thresholds_fail_the_command_for_ci():
    passed = run("kb", "eval", str(REGRESSION), "--now", NOW, "--min-accuracy", "0.5", "--max-wrong", "0.2")
    assert passed.returncode == 0, passed.stderr
    missed = run("kb", "eval", str(REGRESSION), "--now", NOW, "--min-accuracy", "1", "--max-wrong", "0")
    assert missed.returncode == 1
    assert missed.stderr.startswith("foerderbot: Schwelle verfehlt: in-scope accuracy 0.")
    assert "wrong-answer rate" in missed.stderr
    bad = run("kb", "eval", str(REGRESSION), "--min-accuracy", "90")
    assert bad.returncode == 2 and "kein Anteil zwischen 0 und 1" in bad.stderr


def test_kb_eval_file_errors_name_the_item_or_line(tmp_path):
    broken = tmp_path / "set.yaml"
    broken.write_text('- {q: "Frist?", topic: deadline}\n- {q: "Wer?", topic: eligibilty}\n', encoding="utf-8")
    result = run("kb", "eval", str(broken))
    assert result.returncode == 2
    assert f"{broken}: Eintrag 2: unbekanntes topic 'eligibilty'" in result.stderr
    broken.write_text('- {q: "Frist?", topic: deadline\n- {q: "Wer?"}\n', encoding="utf-8")
    result = run("kb", "eval", str(broken))
    assert f"{broken}:2: YAML-Syntaxfehler" in result.stderr and "Traceback" not in result.stderr


def test_argparse_speaks_german_and_knowledge_works_after_the_subcommand(tmp_path):
    result = run("report", "--top")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith("Aufruf: foerderbot report")
    assert "Fehler: Argument --top: erwartet einen Wert" in result.stderr
    missing = run()
    assert "diese Angaben fehlen: BEFEHL" in missing.stderr and "usage" not in missing.stderr
    help_text = run("ask", "--help").stdout
    assert "Optionen:" in help_text and "diese Hilfe zeigen und beenden" in help_text
    after = run("ask", "--knowledge", str(tmp_path / "nope"), "Frist?")
    assert after.returncode == 2 and "Wissensordner nicht gefunden" in after.stderr
    before = run("--knowledge", str(tmp_path / "nope"), "kb", "eval", str(REGRESSION))
    assert "Wissensordner nicht gefunden" in before.stderr
