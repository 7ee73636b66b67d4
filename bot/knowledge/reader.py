"""Pulling typed values out of located YAML while collecting problems with file and line."""

from __future__ import annotations

import difflib
import re
from datetime import date, time
from functools import cached_property
from pathlib import Path
from typing import Any

from bot.knowledge.model import Location
from bot.knowledge.placeholders import DEADLINE_PLACEHOLDERS, PLACEHOLDER, PLACEHOLDERS
from bot.knowledge.problems import Problem, Severity
from bot.knowledge.yamlsource import ImpossibleDate, LocatedDict, LocatedList, YamlProblem, load_yaml

ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,47}$")
"""Entry and check-node ids: short enough to fit Telegram's 64-byte button data."""
_KNOWN_PLACEHOLDERS = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
# Everything in braces, closed or not: what staff meant as a placeholder.
_BRACED = re.compile(r"\{[^{}\n]{0,40}\}?|\}")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class FileReader:
    """Collects problems for one file while typed values are pulled out of it."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def at(self, line: int | None) -> Location:
        return Location(self.path, line)

    def error(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(Severity.ERROR, self.at(line), message))

    def warn(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(Severity.WARNING, self.at(line), message))

    def text(self, data: LocatedDict, key: str, *, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error(data.line, f"„{key}“ fehlt: bitte ergänzen")
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(data.line_of(key), f"„{key}“ muss ein nicht leerer Text sein")
            return None
        return value.strip()

    def day(self, data: LocatedDict, key: str, *, required: bool = True) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.error(data.line, f"„{key}“ fehlt: Datum als JJJJ-MM-TT angeben")
            return None
        if isinstance(value, ImpossibleDate):
            self.error(data.line_of(key), f"„{key}“: den {value} gibt es nicht – Monat und Tag prüfen")
            return None
        if isinstance(value, date):
            return value
        self.error(data.line_of(key), f"„{key}“ ist kein Datum: JJJJ-MM-TT schreiben, z. B. 2017-02-17")
        return None

    def clock(self, data: LocatedDict, key: str) -> time | None:
        value = data.get(key)
        if value is None:
            return None
        match = _TIME.match(str(value)) if isinstance(value, str) else None
        if not match:
            quoted = "" if isinstance(value, str) else "in Anführungszeichen "
            self.error(data.line_of(key), f'„{key}“ ist keine Uhrzeit: {quoted}als "HH:MM" (00:00 bis 23:59) schreiben')
            return None
        return time(int(match[1]), int(match[2]))

    def texts(self, data: LocatedDict, key: str) -> list[tuple[str, int]]:
        """A list of strings with their lines; a single string counts as a one-item list."""
        value = data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [(value, data.line_of(key))]
        if not isinstance(value, LocatedList):
            self.error(data.line_of(key), f"„{key}“ muss eine Liste sein (Zeilen mit „- “)")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, str | int | float) and not isinstance(item, bool) and str(item).strip():
                items.append((str(item).strip(), value.line_of(index)))
            elif isinstance(item, bool):
                self.error(value.line_of(index), f"Eintrag in „{key}“ ist true/false: in Anführungszeichen setzen")
            elif isinstance(item, dict):  # "- Frage: Frist?" reads as a key with a value
                self.error(
                    value.line_of(index),
                    f"Eintrag in „{key}“ hat einen Doppelpunkt mit Leerzeichen: "
                    "den ganzen Text in Anführungszeichen setzen",
                )
            else:
                self.error(value.line_of(index), f"Eintrag in „{key}“ muss ein nicht leerer Text sein")
        return items

    def line_holding(self, start: int, needle: str, text: str, position: int = 0) -> int:
        """The line of `text` (the value of the key at `start`) that holds `needle` where `text` does:
        an error in a multi-line answer points at its own line, not at "answer: |-"."""
        return line_holding(self._lines, start, needle, text, position)

    @cached_property
    def _lines(self) -> list[str]:
        return source_lines(self.path)

    def placeholders(self, line: int, text: str) -> None:
        """Every brace must be a placeholder that renders: anything else would reach applicants as typed."""
        for braced in _BRACED.finditer(text):
            written = braced.group(0)
            match = PLACEHOLDER.fullmatch(written)
            closed = written.endswith("}") and written != "}"
            shown = written.split()[0] if written.strip() else written
            at = self.line_holding(line, written if closed else shown, text, braced.start())
            if not closed:
                self.error(at, f"„{shown}“: Klammer nicht geschlossen oder ohne Anfang; Platzhalter: {{name}}")
            elif match is None or match.group(1) not in PLACEHOLDERS:
                guess = difflib.get_close_matches(written.strip("{}").split(":")[0].casefold(), PLACEHOLDERS, n=1)
                hint = f"meinten Sie {{{guess[0]}}}?" if guess else f"bekannt: {_KNOWN_PLACEHOLDERS}"
                self.error(at, f"unbekannter Platzhalter „{written}“; {hint}")
            elif match.group(2) and match.group(1) not in DEADLINE_PLACEHOLDERS:
                self.error(at, f"Platzhalter „{written}“ nimmt keine Frist-ID")


def source_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


_BLOCK_HEADER = re.compile(r":[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?$")
"""A key whose value starts on the next line ("answer: |-", "text: >  # Entwurf")."""


def line_holding(lines: list[str], start: int, needle: str, text: str, position: int = 0) -> int:
    """The line of a value whose key is on line `start` that holds `needle` where `text` (the value)
    does at `position` (else its first occurrence): the second of two typos gets the second's line.
    The value ends where a line is indented no deeper than its key (a block header's comment is not
    the value); not found there – an escaped brace, a placeholder folded over two lines – the key's line."""
    if not 0 < start <= len(lines):
        return start
    wanted = text.count(needle, 0, position)  # occurrences before this one
    depth = _indentation(lines[start - 1])
    first = start + 1 if _BLOCK_HEADER.search(lines[start - 1]) else start
    seen = 0
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        if number > start and line.strip() and _indentation(line) <= depth:
            break
        seen += line.count(needle)
        if seen > wanted:
            return number
    return start


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def read_mapping(path: Path, problems: list[Problem]) -> Any:
    reader = FileReader(path, problems)
    if not path.is_file():
        reader.error(None, "Datei fehlt")
        return None
    try:
        data = load_yaml(path)
    except YamlProblem as exc:
        reader.error(exc.line, exc.message)
        return None
    if data is None:
        reader.error(None, "die Datei ist leer (oder nur Kommentare): Inhalt eintragen oder die Datei löschen")
    return data


def read_optional(path: Path, problems: list[Problem]) -> tuple[FileReader, Any]:
    """A file staff may leave out: absent, empty or only comments is None without a problem; a
    YAML error is reported with its line and also gives None."""
    reader = FileReader(path, problems)
    if not path.exists():
        return reader, None
    try:
        return reader, load_yaml(path)
    except YamlProblem as exc:
        reader.error(exc.line, exc.message)
        return reader, None


def mappings(reader: FileReader, data: LocatedDict, key: str) -> list[tuple[LocatedDict, int]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, LocatedList):
        reader.error(data.line_of(key), f"„{key}“ muss eine Liste sein (Zeilen mit „- “)")
        return []
    found = []
    for index, item in enumerate(value):
        if isinstance(item, LocatedDict):
            found.append((item, value.line_of(index)))
        else:
            reader.error(value.line_of(index), f"Eintrag in „{key}“ muss aus Schlüsseln bestehen (name: …)")
    return found
