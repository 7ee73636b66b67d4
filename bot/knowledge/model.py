"""The knowledge base as plain, immutable data: what the engine and the bot read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from bot.knowledge.checktree import CheckTree

TOPICS: tuple[str, ...] = (
    "eligibility",
    "deadline",
    "cooperation",
    "documents",
    "funding",
    "procedure",
    "selection",
    "scope",
    "region",
    "contact",
    "background",
    "privacy",
    "bot",
    "smalltalk",
)

# Topics about the bot itself or chit-chat state no fact of the call, so need no `source`.
TOPICS_WITHOUT_SOURCE: frozenset[str] = frozenset({"bot", "smalltalk", "privacy"})


@dataclass(frozen=True)
class Location:
    """Where something was written, for messages that staff can act on."""

    file: Path
    line: int | None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    url: str | None = None


@dataclass(frozen=True)
class Deadline:
    """A deadline of the call; without a time it lasts until the end of its day."""

    id: str
    label: str
    day: date
    at: time | None
    tz: ZoneInfo

    @cached_property
    def ends(self) -> datetime:
        """The last moment at which the deadline is still open."""
        if self.at is not None:
            return datetime.combine(self.day, self.at, self.tz)
        return datetime.combine(self.day + timedelta(days=1), time(0), self.tz) - timedelta(microseconds=1)


@dataclass(frozen=True)
class ReminderSchedule:
    days_before: tuple[int, ...]
    at: time


@dataclass(frozen=True)
class Call:
    """The funding call's metadata."""

    name: str
    short_name: str
    region: str
    website: str
    documents_url: str
    tz: ZoneInfo
    contacts: tuple[Contact, ...]
    deadlines: tuple[Deadline, ...]
    reminders: ReminderSchedule
    responsible: str

    @property
    def main_deadline(self) -> Deadline:
        """The deadline placeholders refer to when they name none: the first one listed."""
        return self.deadlines[0]

    @cached_property
    def deadline_by_id(self) -> dict[str, Deadline]:
        return {deadline.id: deadline for deadline in self.deadlines}

    @cached_property
    def closes(self) -> datetime:
        """After this moment nobody may be invited to apply."""
        return max(deadline.ends for deadline in self.deadlines)


@dataclass(frozen=True)
class Question:
    text: str
    location: Location


@dataclass(frozen=True, eq=False)
class Entry:
    """One question-and-answer unit; compared and hashed by identity (each is loaded once)."""

    id: str
    topic: str
    questions: tuple[Question, ...]
    answer: str
    answer_closed: str | None
    source: str | None
    reviewed: date | None
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    location: Location

    @property
    def canonical(self) -> str:
        """The question that names the entry in menus and in "Meinten Sie …?"."""
        return self.questions[0].text


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    root: Path
    call: Call
    entries: tuple[Entry, ...]
    synonyms: tuple[tuple[str, ...], ...]
    version: str
    lexicon: dict[str, dict[str, str]] = field(default_factory=dict, compare=False)
    """lexicon.yaml: per section, how people write → how the entries write."""
    check: CheckTree | None = None
    """The eligibility check from check.yaml, if the call has one."""
    by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)
    topics: frozenset[str] = field(init=False, repr=False, compare=False)
    """The topics that have entries (computed once, used per button press)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})
        object.__setattr__(self, "topics", frozenset(entry.topic for entry in self.entries))
