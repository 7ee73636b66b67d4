"""Button payloads: short, typed, and validated, since anyone can send any callback data.

Telegram allows 64 bytes: "u:" + a 12-character question ref + ":" leaves 49 for an entry id,
which is why `kb check` refuses longer ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import Button
from bot.knowledge import KnowledgeBase

_BROWSE = re.compile(r"^(?P<kind>[ets]):(?P<value>[a-z0-9-]{0,48})\Z")
_ABOUT_QUESTION = re.compile(r"^(?P<kind>[cud]):(?P<ref>[0-9a-f]{12}):(?P<value>[a-z0-9-]{1,48})\Z")


@dataclass(frozen=True)
class Action:
    kind: Button
    value: str
    """An entry id; for Button.TOPIC a topic (empty: all topics); for Button.SUBSCRIBE empty."""
    ref: str | None = None
    """The logged question a choice or a vote belongs to."""


def show_entry(entry_id: str) -> str:
    return f"{Button.ENTRY}:{entry_id}"


SUBSCRIBE = f"{Button.SUBSCRIBE}:"
CHECK_START = "k:start"
"""Starts the eligibility check in a new message; its steps have handlers of their own (bot.telegram.check)."""
FORGET_YES = "v:ja"
FORGET_NO = "v:nein"
FORGET_PATTERN = r"^v:(ja|nein)\Z"
"""/vergessen's confirmation has a handler of its own (bot.telegram.privacy). `\\Z`, not `$`:
"$" also matches before a final line break ("v:ja\n")."""


def show_topic(topic: str = "") -> str:
    return f"{Button.TOPIC}:{topic}"


def choose(ref: str, entry_id: str) -> str:
    return f"{Button.CHOICE}:{ref}:{entry_id}"


def feedback(ref: str, entry_id: str, helpful: bool) -> str:
    return f"{Button.UP if helpful else Button.DOWN}:{ref}:{entry_id}"


def parse(data: object, kb: KnowledgeBase) -> Action | None:
    """The action behind a button, or None if the data is forged or names what no longer exists."""
    if not isinstance(data, str):
        return None
    match = _BROWSE.match(data) or _ABOUT_QUESTION.match(data)
    if not match:
        return None
    kind, value = Button(match["kind"]), match["value"]
    if kind is Button.TOPIC:
        return Action(kind, value) if value == "" or value in kb.topics else None
    if kind is Button.SUBSCRIBE:
        return Action(kind, value) if value == "" else None
    if value not in kb.by_id:
        return None
    return Action(kind, value, match.groupdict().get("ref"))
