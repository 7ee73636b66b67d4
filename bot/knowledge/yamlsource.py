"""YAML loading that remembers line numbers, so staff learn exactly where they broke a file."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class YamlProblem(Exception):
    """A file that is not valid YAML (or repeats a key); carries the 1-based line."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class ImpossibleDate(str):
    """A date in the right shape that does not exist (2017-02-30); the reader names it."""


class LocatedDict(dict):
    """A mapping that knows the line it starts at and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    """A sequence that knows the line of each item."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_Base):
    """SafeLoader (libyaml's when available) whose mappings and sequences carry their source lines."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    data = LocatedDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if key in data.key_lines:
            raise YamlProblem(
                key_line,
                f"Schlüssel „{key}“ steht doppelt (zuerst in Zeile {data.key_lines[key]})",
            )
        data.key_lines[key] = key_line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    data = LocatedList()
    data.line = node.start_mark.line + 1
    data.item_lines = [child.start_mark.line + 1 for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return ImpossibleDate(node.value)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
# YAML 1.2 booleans: only true/false. YAML 1.1 also reads yes/no/on/off as Ja/Nein-Werte, which
# turns a phrasing like "- no" or "- ja" into a silent mistake.
_BOOL = "tag:yaml.org,2002:bool"
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _BOOL]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

# PyYAML's English problems, in words staff can act on (first match wins); the last is the usual cause of the rest.
_HINTS: tuple[tuple[str, str], ...] = (
    (
        "mapping values are not allowed",
        "ein Doppelpunkt mit Leerzeichen mitten im Text: den ganzen Text in Anführungszeichen setzen, "
        'z. B. answer: "Hinweis: …"',
    ),
    ("could not find expected ':'", "nach dem Schlüssel fehlt ein Doppelpunkt (schlüssel: wert)"),
    ("undefined alias", "ein Text beginnt mit *: den Text in Anführungszeichen setzen"),
    ("cannot start any token", "ein Text beginnt mit @, ` oder %: den Text in Anführungszeichen setzen"),
    ("unknown escape", "ein \\ in doppelten Anführungszeichen: einfache Anführungszeichen verwenden"),
    ("end of stream", "ein Anführungszeichen oder eine Klammer wird nicht geschlossen"),
    ("expected ',' or ']'", "eine eckige Klammer [ wird nicht geschlossen: ] ergänzen"),
    ("expected '-' indicator", "die Einrückung passt nicht: jeder Listenpunkt „- “ beginnt in derselben Spalte"),
    ("", "die Einrückung passt nicht: Schlüssel eines Eintrags gleich weit einrücken, nur mit Leerzeichen"),
)


def _german(problem: str, line_text: str) -> str:
    """The hint for the problem; a tab is found by looking at the line (libyaml does not name it)."""
    if "tab" in problem or ("\t" in line_text and "token" in problem):
        return "Tabulator gefunden: Tab durch Leerzeichen ersetzen (YAML rückt nur mit Leerzeichen ein)"
    if re.search(r"(^|:\s)\s*(- )?\{", line_text):
        return "ein Text beginnt mit {: den ganzen Text in Anführungszeichen setzen"
    if "mapping values are not allowed" in problem and _PLAIN_KEY.fullmatch(line_text):
        return _HINTS[-1][1]  # no second colon on the line: it is indented wrongly, not a colon in a text
    return next(hint for needle, hint in _HINTS if needle in problem)


_PLAIN_KEY = re.compile(r"\s*(?:- )?[a-z_][a-z0-9_-]*:(?: [^:]*)?")
"""A key as the knowledge files write them (lower case): "   topic: region", not the continuation
"    Achtung: die Frist …" of a wrapped text, where the colon is the mistake."""


def load_yaml(path: Path) -> Any:
    """Parse one file; raise YamlProblem with the line of the first syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise YamlProblem(
            line, "keine gültige UTF-8-Datei (z. B. in Windows-1252 gespeichert): im Editor als UTF-8 speichern"
        ) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        lines = text.splitlines()
        reason = _german(exc.problem or str(exc), lines[line - 1] if line and line <= len(lines) else "")
        if exc.context_mark and exc.context_mark.line + 1 != line:
            reason += f" (der Abschnitt beginnt in Zeile {exc.context_mark.line + 1})"
        raise YamlProblem(line, f"YAML-Syntaxfehler: {reason}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML-Fehler: {exc}") from exc
