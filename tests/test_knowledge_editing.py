"""Realistic editing mistakes: each gets one German error with file, line and what to do."""

from __future__ import annotations

from test_knowledge import line_of, problems_of, replace_in

from bot.cli import main
from bot.knowledge import read_knowledge
from bot.telegram.context import services

NOW = "2017-01-20T10:00:00+01:00"


def errors_of(root) -> list[str]:
    return [p for p in problems_of(root) if ": Fehler: " in p]


def test_an_empty_or_comment_only_file_is_an_error(knowledge_copy):
    (knowledge_copy / "entries" / "region.yaml").write_text("# alles auskommentiert\n", encoding="utf-8")
    (knowledge_copy / "call.yaml").write_text("", encoding="utf-8")
    found = errors_of(knowledge_copy)
    assert any("region.yaml: Fehler: die Datei ist leer" in p for p in found)
    assert any("call.yaml: Fehler: die Datei ist leer" in p for p in found)


def test_an_empty_call_file_names_the_file_when_asking(knowledge_copy, capsys):
    (knowledge_copy / "call.yaml").write_text("# leer\n", encoding="utf-8")
    assert main(["--knowledge", str(knowledge_copy), "ask", "Frist?"]) == 2
    err = capsys.readouterr().err
    assert "call.yaml: Fehler: die Datei ist leer" in err
    assert "fehlerhaft: Wissensbasis fehlerhaft" not in err


def test_impossible_dates_are_errors_with_their_line(knowledge_copy):
    call, region = knowledge_copy / "call.yaml", knowledge_copy / "entries" / "region.yaml"
    replace_in(call, "date: 2017-02-17", "date: 2017-02-30")
    replace_in(region, "reviewed: 2026-11-30", "reviewed: 2026-13-01")
    found = errors_of(knowledge_copy)
    assert f"{call}:{line_of(call, '2017-02-30')}: Fehler: „date“: den 2017-02-30 gibt es nicht" in "\n".join(found)
    assert any(f"region.yaml:{line_of(region, '2026-13-01')}" in p and "gibt es nicht" in p for p in found)


async def test_reload_with_an_impossible_date_answers_with_the_line(telegram, knowledge_copy):
    core = services(telegram.application.bot_data)
    running = core.knowledge.kb.version
    replace_in(knowledge_copy / "call.yaml", "date: 2017-02-17", "date: 2017-02-30")
    await telegram.send_text(7, "/neuladen", user_id=7)
    (reply,) = await telegram.replies(7)
    assert "bleibt bei der bisherigen Version" in reply["text"] and "2017-02-30 gibt es nicht" in reply["text"]
    assert core.knowledge.kb.version == running


def test_a_placeholder_that_cannot_render_is_an_error(knowledge_copy):
    path = knowledge_copy / "entries" / "scope.yaml"
    for wrong in ("{frist_datum", "{frsit_datum}", "{Frist_Datum}", "{website:frist-bewerbungsschluss}"):
        replace_in(path, "Die geförderten Projekte liefen", f"{wrong} Die geförderten Projekte liefen")
    kb, problems = read_knowledge(knowledge_copy)
    assert kb is None
    found = "\n".join(str(p) for p in problems)
    assert "unbekannter Platzhalter „{frsit_datum}“; meinten Sie {frist_datum}?" in found
    assert "unbekannter Platzhalter „{Frist_Datum}“; meinten Sie {frist_datum}?" in found
    assert "„{frist_datum“: Klammer nicht geschlossen" in found
    assert "„{website:frist-bewerbungsschluss}“ nimmt keine Frist-ID" in found


def test_a_mistake_inside_a_multi_line_answer_names_its_own_line(knowledge_copy):
    """Staff write answers as blocks over several lines: the error points at the line to mend, not
    at "answer: |-" above the block."""
    path = knowledge_copy / "entries" / "scope.yaml"
    replace_in(
        path,
        "Die Region soll sich so als „Smart Region“ profilieren. ",
        "Die Region soll sich\n    so als „Smart Region“ profilieren.\n"
        "    Mehr unter {unterlagn}, TODO Link prüfen.\n    ",
    )
    found = errors_of(knowledge_copy)
    broken = line_of(path, "{unterlagn}")
    assert broken > line_of(path, "  answer: |-") + 1
    assert any(f"scope.yaml:{broken}: Fehler: unbekannter Platzhalter „{{unterlagn}}“" in p for p in found), found
    assert any(f"scope.yaml:{broken}: Fehler: die Antwort ist noch ein Platzhalter (TODO)" in p for p in found), found


def test_each_of_several_mistakes_in_one_answer_names_its_own_line(knowledge_copy):
    path = knowledge_copy / "entries" / "scope.yaml"
    replace_in(path, "  answer: |-\n    Gesucht", "  answer: |- # TODO Quelle prüfen\n    Gesucht")
    replace_in(
        path,
        "Die Region soll sich so als „Smart Region“ profilieren. ",
        "Die Region soll sich so als „Smart Region“ profilieren, bis {frist_datum}\n"
        "    {frist satz} und {unterlagn}.\n    Dazu {unterlagn} und {frist_datum:erster-bescheidd}, TODO\n    ",
    )
    found = "\n".join(errors_of(knowledge_copy))
    lines = path.read_text(encoding="utf-8").splitlines()
    second, third = (n for n, line in enumerate(lines, start=1) if "{unterlagn}" in line)
    assert f"scope.yaml:{second}: Fehler: unbekannter Platzhalter „{{frist satz}}“" in found
    assert f"scope.yaml:{second}: Fehler: unbekannter Platzhalter „{{unterlagn}}“" in found
    assert f"scope.yaml:{third}: Fehler: unbekannter Platzhalter „{{unterlagn}}“" in found
    assert f"scope.yaml:{third}: Fehler: „{{frist_datum:erster-bescheidd}}“ nennt eine unbekannte Frist" in found
    assert f"scope.yaml:{third}: Fehler: die Antwort ist noch ein Platzhalter (TODO)" in found  # not the comment


def test_a_todo_in_a_check_result_names_its_line(knowledge_copy):
    path = knowledge_copy / "check.yaml"
    replace_in(path, "sind im Aufruf ausdrücklich genannt.", "sind im Aufruf ausdrücklich genannt.\n      TODO Quelle")
    found = errors_of(knowledge_copy)
    assert any(
        f"check.yaml:{line_of(path, 'TODO Quelle')}: Fehler: „text“ ist noch ein Platzhalter" in p for p in found
    )


def test_a_mistake_the_file_does_not_show_literally_stays_at_its_key(knowledge_copy):
    """An escaped brace ("\\x7B") is no text to find: the error stays at the key of its own answer,
    never at a later entry with the same typo written out."""
    path = knowledge_copy / "entries" / "scope.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  answer: |-\n")
    end = text.index("\n  sources:", start)
    long_answer = "Gesucht sind digitale Projekte für die Region, " * 8  # more words than lines to the next entry
    escaped = '  answer: "' + long_answer + 'Mehr unter \\x7Bunterlagn}."'
    later = text[end:].replace("{unterlagen}", "{unterlagn}", 1)
    path.write_text(text[:start] + escaped + later, encoding="utf-8")
    found = [p for p in errors_of(knowledge_copy) if "unterlagn" in p]
    assert len(found) == 2, found
    assert f"scope.yaml:{line_of(path, 'x7Bunterlagn')}: Fehler" in found[0]
    assert f"scope.yaml:{line_of(path, '{unterlagn}')}: Fehler" in found[1]


def test_a_broken_entry_does_not_cascade_into_files_nobody_touched(knowledge_copy):
    path = knowledge_copy / "entries" / "deadline.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: frist-bewerbungsschluss")
    answer = text.index("  answer:", start)
    following = text.index("\n  sources:", answer)
    path.write_text(text[:answer] + text[following + 1 :], encoding="utf-8")
    found = errors_of(knowledge_copy)
    assert len(found) == 1, found
    assert "deadline.yaml" in found[0] and "„answer“ fehlt" in found[0]


def test_yaml_mistakes_are_explained_in_german(knowledge_copy):
    path = knowledge_copy / "entries" / "region.yaml"
    replace_in(path, "  topic: region", "\ttopic: region")
    (tabbed,) = errors_of(knowledge_copy)
    assert "Tab durch Leerzeichen ersetzen" in tabbed and f"region.yaml:{line_of(path, chr(9))}" in tabbed
    replace_in(path, "\ttopic: region", "  topic: region")
    text = path.read_text(encoding="utf-8")
    start = text.index("  answer:")
    path.write_text(text[:start] + "  answer: Hinweis: Bitte beachten Sie die Frist.\n" + text[start:], "utf-8")
    (colon,) = errors_of(knowledge_copy)
    assert "in Anführungszeichen setzen" in colon and "YAML-Syntaxfehler" in colon
    assert "mapping values" not in colon


def test_a_key_indented_too_far_is_called_an_indentation_mistake(knowledge_copy):
    """libyaml calls it "mapping values are not allowed" – the hint about a colon in a text misled."""
    path = knowledge_copy / "entries" / "region.yaml"
    replace_in(path, "  topic: region", "   topic: region")
    (found,) = errors_of(knowledge_copy)
    assert "Einrückung passt nicht" in found and "Anführungszeichen" not in found
    replace_in(path, "   topic: region", "  topic: region")
    text = path.read_text(encoding="utf-8")
    start = text.index("  answer:")  # a wrapped text whose second line has a colon: quotes help, not indenting
    path.write_text(
        text[:start] + "  answer: Hallo, ich beantworte Fragen,\n    Achtung: bald.\n" + text[start:], "utf-8"
    )
    (wrapped,) = errors_of(knowledge_copy)
    assert "in Anführungszeichen setzen" in wrapped


def test_a_file_not_saved_as_utf8_names_its_line_and_what_to_do(knowledge_copy):
    path = knowledge_copy / "entries" / "region.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252", errors="replace"))
    first = next(n for n, line in enumerate(text.splitlines(), start=1) if not line.isascii())
    (found,) = errors_of(knowledge_copy)
    assert f"region.yaml:{first}:" in found and "im Editor als UTF-8 speichern" in found


def test_no_and_ja_are_phrasings_not_booleans(knowledge_copy):
    path = knowledge_copy / "entries" / "smalltalk.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  questions:\n") + len("  questions:\n")
    path.write_text(text[:first] + "    - no\n    - ja\n" + text[first:], encoding="utf-8")
    kb, problems = read_knowledge(knowledge_copy)
    assert kb is not None, [str(p) for p in problems]
    assert {"no", "ja"} <= {q.text for entry in kb.entries for q in entry.questions}


def test_one_warning_is_singular_and_a_long_answer_is_warned(knowledge_copy, capsys):
    assert main(["kb", "check", str(knowledge_copy), "--now", NOW]) == 0
    shipped = capsys.readouterr().out.count("Warnung: ")  # phrasings another entry answers: the engine's say
    path = knowledge_copy / "entries" / "smalltalk.yaml"
    long_answer = " ".join(f"Satz {n} einer sehr langen Antwort." for n in range(300))
    replace_in(path, "Gern geschehen! Fragen Sie jederzeit wieder.", long_answer)
    assert main(["kb", "check", str(knowledge_copy), "--now", NOW]) == 0
    out = capsys.readouterr().out
    assert f"die Antwort hat {len(long_answer)} Zeichen; Telegram teilt ab 4096" in out
    assert out.count("Warnung: ") == shipped + 1
    total = shipped + 1
    assert out.strip().endswith(f"0 Fehler, {total} Warnung" + ("" if total == 1 else "en"))
