"""The eligibility check (check.yaml): a decision tree staff edit like the entries.

Questions offer 2–6 answers; each answer leads to a further question or to a result, and a
result names the entries (with their sources) it rests on. A way through the tree is a path of
answer numbers (1-based), which is what buttons and `foerderbot check --path` carry, so the
tree is validated for what a path needs: it ends, it ends in a result, and it fits a button.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.german import counted
from bot.knowledge.model import Location
from bot.knowledge.placeholders import DEADLINE_PLACEHOLDERS, PLACEHOLDER
from bot.knowledge.problems import Problem, Severity
from bot.knowledge.reader import ID, FileReader, mappings, read_mapping
from bot.knowledge.yamlsource import LocatedDict

CHECK_FILE = "check.yaml"
MIN_OPTIONS, MAX_OPTIONS = 2, 6
"""Fewer is no question; more do not fit a phone screen (and one digit per step in a path)."""
MAX_LABEL = 40
"""Characters on an answer button; Telegram cuts longer ones on small screens."""
MAX_DEPTH = 48
"""Steps in one path: one digit each, so a path fits Telegram's 64 bytes of button data."""
MAX_RESULT_CHARS = 3000
"""A result is shown in one message (Telegram: 4,096) together with the deadline and the hint."""
_TOP_KEYS = {"start", "questions", "results"}
_QUESTION_KEYS = {"id", "text", "options"}
_OPTION_KEYS = {"label", "next"}
_RESULT_KEYS = {"id", "text", "text_closed", "entries"}
_PROMISE = re.compile(
    r"\b(sie|ihre? \w+) (sind|ist) (\w+ )?(antragsberechtigt|teilnahmeberechtigt|förderfähig|zugelassen)\b",
    re.IGNORECASE,
)


class PathError(ValueError):
    """A path that leads nowhere in the tree (forged, stale or mistyped)."""


@dataclass(frozen=True)
class CheckOption:
    label: str
    next: str
    location: Location


@dataclass(frozen=True)
class CheckQuestion:
    id: str
    text: str
    options: tuple[CheckOption, ...]
    location: Location


@dataclass(frozen=True)
class CheckResult:
    id: str
    text: str
    text_closed: str | None
    """Used after the call closed, like an entry's answer_closed."""
    entries: tuple[str, ...]
    """The entries the result rests on; their sources are shown with it."""
    location: Location


@dataclass(frozen=True, eq=False)
class CheckTree:
    start: str
    nodes: dict[str, CheckQuestion | CheckResult]
    version: str
    """A short hash of check.yaml: buttons of an edited tree are recognised as stale."""

    def walk(self, path: Sequence[int]) -> CheckQuestion | CheckResult:
        """The node a path of 1-based answer numbers leads to."""
        node = self.nodes[self.start]
        for step, number in enumerate(path, start=1):
            if not isinstance(node, CheckQuestion):
                raise PathError(f"Schritt {step}: der Weg endet schon nach Schritt {step - 1} mit einem Ergebnis")
            if not 1 <= number <= len(node.options):
                raise PathError(f"Schritt {step}: Antwort {number} gibt es hier nicht (1 bis {len(node.options)})")
            node = self.nodes[node.options[number - 1].next]
        return node

    def paths(self) -> Iterator[tuple[tuple[int, ...], CheckResult]]:
        """Every way through the tree, with the result it ends in."""

        def visit(node: CheckQuestion | CheckResult, path: tuple[int, ...]):
            if isinstance(node, CheckResult):
                yield path, node
                return
            for number, option in enumerate(node.options, start=1):
                yield from visit(self.nodes[option.next], (*path, number))

        yield from visit(self.nodes[self.start], ())


def read_check(
    root: Path, problems: list[Problem], entry_ids: set[str] | None, deadline_ids: set[str]
) -> CheckTree | None:
    """The tree in `root/check.yaml` (optional), or None if missing or broken.

    `entry_ids` is None when not every entry file could be read: links cannot be judged then.
    """
    path = root / CHECK_FILE
    if not path.exists():
        return None
    data = read_mapping(path, problems)
    if data is None:
        return None
    reader = FileReader(path, problems)
    if not isinstance(data, LocatedDict):
        reader.error(1, "check.yaml braucht „start:“, „questions:“ und „results:“")
        return None
    errors_before = _error_count(problems)
    _unknown_keys(reader, data, _TOP_KEYS)
    nodes: dict[str, CheckQuestion | CheckResult] = {}
    questions, results = mappings(reader, data, "questions"), mappings(reader, data, "results")
    # ids written down, even of broken nodes: one mistake is reported once, not again as dangling
    declared = {item.get("id") for item, _line in questions + results}
    for item, _line in questions:
        _add(reader, nodes, _read_question(reader, item))
    for item, _line in results:
        _add(reader, nodes, _read_result(reader, item, entry_ids, deadline_ids))
    start = reader.text(data, "start")
    if start and start not in declared:
        reader.error(data.line_of("start"), f"„start“ nennt „{start}“, das es unter questions nicht gibt")
    elif start in nodes and not isinstance(nodes[start], CheckQuestion):
        reader.error(data.line_of("start"), "„start“ muss eine Frage sein, kein Ergebnis")
    for node in nodes.values():
        for option in node.options if isinstance(node, CheckQuestion) else ():
            if option.next not in declared:
                reader.error(
                    option.location.line,
                    f"„next: {option.next}“ führt ins Leere: keine Frage und kein Ergebnis heißt so",
                )
    if _error_count(problems) > errors_before or not start:
        return None
    _check_ways(reader, nodes, start)
    if _error_count(problems) > errors_before:
        return None
    return CheckTree(start=start, nodes=nodes, version=hashlib.sha256(path.read_bytes()).hexdigest()[:6])


def _error_count(problems: list[Problem]) -> int:
    return sum(p.severity is Severity.ERROR for p in problems)


def _unknown_keys(reader: FileReader, item: LocatedDict, allowed: set[str]) -> None:
    for key in item:
        if key not in allowed:
            reader.error(item.line_of(key), f"unbekannter Schlüssel „{key}“; erlaubt: {', '.join(sorted(allowed))}")


def _add(reader: FileReader, nodes: dict, node: CheckQuestion | CheckResult | None) -> None:
    if node is None:
        return
    if node.id in nodes:
        first = nodes[node.id].location
        reader.error(node.location.line, f"id „{node.id}“ gibt es schon ({first}): eine neue id wählen")
        return
    nodes[node.id] = node


def _node_id(reader: FileReader, item: LocatedDict) -> str | None:
    node_id = reader.text(item, "id")
    if node_id and not ID.match(node_id):
        reader.error(item.line_of("id"), f"id „{node_id}“: nur Kleinbuchstaben, Ziffern und Bindestriche")
        return None
    return node_id


def _read_question(reader: FileReader, item: LocatedDict) -> CheckQuestion | None:
    _unknown_keys(reader, item, _QUESTION_KEYS)
    node_id, text = _node_id(reader, item), reader.text(item, "text")
    options = []
    for option, _line in mappings(reader, item, "options"):
        _unknown_keys(reader, option, _OPTION_KEYS)
        label, target = reader.text(option, "label"), reader.text(option, "next")
        if label and len(label) > MAX_LABEL:
            reader.error(
                option.line_of("label"),
                f"Antwort „{label}“ hat {len(label)} Zeichen; auf eine Schaltfläche passen höchstens {MAX_LABEL}",
            )
        elif label and target:
            options.append(CheckOption(label, target, reader.at(option.line_of("next"))))
    raw = item.get("options")
    count = len(raw) if isinstance(raw, list) else 0
    if not MIN_OPTIONS <= count <= MAX_OPTIONS:
        reader.error(
            item.line_of("options"),
            f"Frage „{node_id}“ hat {counted(count, 'Antwort', 'Antworten')}; {MIN_OPTIONS} bis {MAX_OPTIONS} angeben, "
            "jede mit „label:“ und „next:“ (jeder Weg muss bei einem Ergebnis enden)",
        )
        return None
    if not (node_id and text) or len(options) != count:
        return None
    return CheckQuestion(node_id, text, tuple(options), reader.at(item.line))


def _read_result(
    reader: FileReader, item: LocatedDict, entry_ids: set[str] | None, deadline_ids: set[str]
) -> CheckResult | None:
    _unknown_keys(reader, item, _RESULT_KEYS)
    node_id, text = _node_id(reader, item), reader.text(item, "text")
    text_closed = reader.text(item, "text_closed", required=False)
    for key, value in (("text", text), ("text_closed", text_closed)):
        if not value:
            continue
        line = item.line_of(key)
        reader.placeholders(line, value)
        _deadline_references(reader, line, value, deadline_ids)
        if "TODO" in value:
            reader.error(
                reader.line_holding(line, "TODO", value), f"„{key}“ ist noch ein Platzhalter (TODO): Ergebnis schreiben"
            )
        if len(value) > MAX_RESULT_CHARS:
            reader.error(line, f"„{key}“ hat {len(value)} Zeichen; ein Ergebnis muss in eine Nachricht passen")
        if promise := _PROMISE.search(value):
            reader.warn(
                line,
                f"„{promise.group(0)}“ klingt nach einer Entscheidung: sagen, was die Quellen nennen – "
                "verbindlich entscheiden die offiziellen Unterlagen",
            )
    entries = reader.texts(item, "entries")
    if not entries:
        reader.error(item.line, "„entries“ fehlt: die Einträge nennen, auf denen das Ergebnis beruht (mit Quelle)")
    for entry_id, line in entries if entry_ids is not None else ():
        if entry_id not in entry_ids:
            reader.error(line, f"„entries“ nennt unbekannten Eintrag „{entry_id}“")
    if not (node_id and text and entries):
        return None
    return CheckResult(node_id, text, text_closed, tuple(e for e, _ in entries), reader.at(item.line))


def _deadline_references(reader: FileReader, line: int, text: str, deadline_ids: set[str]) -> None:
    for match in PLACEHOLDER.finditer(text):
        name, argument = match.group(1), match.group(2)
        if argument and name in DEADLINE_PLACEHOLDERS and argument not in deadline_ids:
            known = ", ".join(sorted(deadline_ids))
            at = reader.line_holding(line, match.group(0), text, match.start())
            reader.error(at, f"„{match.group(0)}“ nennt eine unbekannte Frist; bekannt: {known}")


def _check_ways(reader: FileReader, nodes: dict[str, CheckQuestion | CheckResult], start: str) -> None:
    """No cycles, no path longer than a button can carry; unreachable nodes are worth a warning."""
    depth: dict[str, int] = {}  # finished nodes: the longest way from them to a result
    on_way: list[str] = []

    def visit(node_id: str) -> int:
        node = nodes[node_id]
        if isinstance(node, CheckResult):
            depth[node_id] = 0
            return 0
        on_way.append(node_id)
        longest = 0
        for option in node.options:
            if option.next in on_way:
                circle = " → ".join([*on_way[on_way.index(option.next) :], option.next])
                reader.error(
                    option.location.line,
                    f"Kreis: {circle}; jede Antwort muss zu einer weiteren Frage oder einem Ergebnis führen",
                )
                continue
            below = depth[option.next] if option.next in depth else visit(option.next)
            longest = max(longest, below + 1)
        on_way.pop()
        depth[node_id] = longest
        return longest

    if visit(start) > MAX_DEPTH:
        reader.error(nodes[start].location.line, f"ein Weg hat mehr als {MAX_DEPTH} Fragen: zu lang für Schaltflächen")
    for node in nodes.values():
        if node.id not in depth:
            reader.warn(node.location.line, f"„{node.id}“ ist von „start“ aus nicht erreichbar")
