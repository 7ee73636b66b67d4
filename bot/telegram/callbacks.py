"""Button payloads: short, typed, and validated, since anyone can send any callback data.

Telegram allows 64 bytes: "u:" + a 12-character question ref + ":" leaves 49 for an entry id,
which is why `kb check` refuses longer ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.knowledge import KnowledgeBase

_BROWSE = re.compile(r"^(?P<kind>[ets]):(?P<value>[a-z0-9-]{0,48})\Z")
_ABOUT_QUESTION = re.compile(r"^(?P<kind>[cud]):(?P<ref>[0-9a-f]{12}):(?P<value>[a-z0-9-]{1,48})\Z")


@dataclass(frozen=True)
class Action:
    kind: str
    """"e" show an entry, "t" list a topic (empty: all topics), "s" subscribe to reminders,
    "c" a choice in "Meinten Sie …?", "u"/"d" feedback up/down."""
    value: str
    ref: str | None = None
    """The logged question a choice or a vote belongs to."""


def show_entry(entry_id: str) -> str:
    return f"e:{entry_id}"


SUBSCRIBE = "s:"
CHECK_START = "k:start"
"""Starts the eligibility check in a new message; its steps have handlers of their own (bot.telegram.check)."""
FORGET_YES = "v:ja"
FORGET_NO = "v:nein"
FORGET_PATTERN = r"^v:(ja|nein)\Z"
"""/vergessen's confirmation has a handler of its own (bot.telegram.privacy). `\\Z`, not `$`:
"$" also matches before a final line break ("v:ja\n")."""


def show_topic(topic: str = "") -> str:
    return f"t:{topic}"


def choose(ref: str, entry_id: str) -> str:
    return f"c:{ref}:{entry_id}"


def feedback(ref: str, entry_id: str, helpful: bool) -> str:
    return f"{'u' if helpful else 'd'}:{ref}:{entry_id}"


def parse(data: object, kb: KnowledgeBase) -> Action | None:
    """The action behind a button, or None if the data is forged or names what no longer exists."""
    if not isinstance(data, str):
        return None
    match = _BROWSE.match(data) or _ABOUT_QUESTION.match(data)
    if not match:
        return None
    kind, value = match["kind"], match["value"]
    if kind == "t":
        return Action(kind, value) if value == "" or value in kb.topics else None
    if kind == "s":
        return Action(kind, value) if value == "" else None
    if value not in kb.by_id:
        return None
    return Action(kind, value, match.groupdict().get("ref"))
