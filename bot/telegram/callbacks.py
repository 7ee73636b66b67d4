"""Button payloads: short, typed, and validated, since anyone can send any callback data."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase

_PATTERN = re.compile(r"^(?P<kind>[etud]):(?P<value>[a-z0-9-]{0,60})$")


@dataclass(frozen=True)
class Action:
    kind: str
    """"e" show an entry, "t" list a topic (empty value: all topics), "u"/"d" feedback up/down."""
    value: str


def show_entry(entry_id: str) -> str:
    return f"e:{entry_id}"


def show_topic(topic: str = "") -> str:
    return f"t:{topic}"


def feedback(entry_id: str, helpful: bool) -> str:
    return f"{'u' if helpful else 'd'}:{entry_id}"


def parse(data: object, kb: KnowledgeBase, topics: set[str]) -> Action | None:
    """The action behind a button, or None if the data is forged or names what no longer exists."""
    if not isinstance(data, str):
        return None
    match = _PATTERN.match(data)
    if not match:
        return None
    kind, value = match["kind"], match["value"]
    if kind == "t":
        return Action(kind, value) if value == "" or value in topics else None
    return Action(kind, value) if value in kb.by_id else None
