"""YAML loading that remembers line numbers, so staff learn exactly where they broke a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class YamlProblem(Exception):
    """A file that is not valid YAML (or repeats a key); carries the 1-based line."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


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


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def load_yaml(path: Path) -> Any:
    """Parse one file; raise YamlProblem with the line of the first syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlProblem(None, f"keine gültige UTF-8-Datei ({exc.reason})") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            reason += f" ({exc.context}, begonnen in Zeile {exc.context_mark.line + 1})"
        raise YamlProblem(line, f"YAML-Syntaxfehler: {reason}") from exc
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"YAML-Fehler: {exc}") from exc
