"""The knowledge base as plain, immutable data: what the engine and the bot read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.domain import Topic

if TYPE_CHECKING:
    from bot.knowledge.checktree import CheckTree

TOPICS: tuple[Topic, ...] = tuple(Topic)
"""The topics an entry may have (bot.domain.Topic, the one list)."""


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
    sources: tuple[Source, ...] = ()
    """What backs the date that placeholders like {frist_datum} print."""

    @cached_property
    def ends(self) -> datetime:
        """The last moment at which the deadline is still open."""
        if self.at is not None:
            return datetime.combine(self.day, self.at, self.tz)
        return datetime.combine(self.day + timedelta(days=1), time(0), self.tz) - timedelta(microseconds=1)


@dataclass(frozen=True)
class Event:
    """A dated happening of the call (e.g. the first grant decision) that answers may change at."""

    id: str
    label: str
    day: date
    at: time | None
    tz: ZoneInfo
    sources: tuple[Source, ...] = ()

    @cached_property
    def begins(self) -> datetime:
        """From this moment on the event has happened; without a time, from the start of its day."""
        return datetime.combine(self.day, self.at or time(0), self.tz)


@dataclass(frozen=True)
class Places:
    """Places the call's region consists of and places known to lie outside it: a question about
    taking part that names one is told where it stands ("Münster gehört nicht …")."""

    inside: tuple[str, ...]
    outside: tuple[str, ...]
    sources: tuple[Source, ...]


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
    events: tuple[Event, ...] = ()
    places: Places | None = None

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


@dataclass(frozen=True)
class Source:
    """A page that backs an entry, with the sentence(s) it says; a summary quote is the facts file's wording."""

    url: str
    quotes: tuple[str, ...]
    summary: bool
    location: Location


@dataclass(frozen=True)
class Boundary:
    """Where an answer variant starts or stops holding: a date, a deadline's end or an event."""

    name: str
    moment: datetime


@dataclass(frozen=True)
class Variant:
    """One wording of an answer, true from `starts` (inclusive) until `ends` (exclusive)."""

    text: str
    starts: Boundary | None
    ends: Boundary | None
    location: Location
    sources: tuple[Source, ...] = ()
    """Sources only this variant may cite, e.g. a report from after its `from`."""

    def holds_at(self, now: datetime) -> bool:
        return (self.starts is None or now >= self.starts.moment) and (self.ends is None or now < self.ends.moment)


@dataclass(frozen=True, eq=False)
class Entry:
    """One question-and-answer unit; compared and hashed by identity (each is loaded once)."""

    id: str
    topic: Topic
    questions: tuple[Question, ...]
    variants: tuple[Variant, ...]
    sources: tuple[Source, ...]
    reviewed: date | None
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    location: Location

    @property
    def canonical(self) -> str:
        """The question that names the entry in menus and in "Meinten Sie …?"."""
        return self.questions[0].text

    @property
    def source(self) -> str | None:
        """The first source's address, shown under an answer."""
        return self.sources[0].url if self.sources else None

    def variant_at(self, now: datetime) -> Variant:
        """The variant that holds at `now` (kb check guarantees exactly one does)."""
        for variant in self.variants:
            if variant.holds_at(now):
                return variant
        raise LookupError(f"{self.id}: keine Antwort gilt am {now.isoformat()}")

    def answer_at(self, now: datetime) -> str:
        return self.variant_at(now).text

    def source_at(self, now: datetime) -> str | None:
        """The address shown under the answer at `now`: never a page from after the variant's start."""
        variant = self.variant_at(now)
        return variant.sources[0].url if variant.sources else self.source


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
    off_topic: tuple[str, ...] = ()
    """off_topic.yaml: words and phrases (casefolded) that give away a message about something else."""
    by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)
    topics: frozenset[str] = field(init=False, repr=False, compare=False)
    """The topics that have entries (computed once, used per button press)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})
        object.__setattr__(self, "topics", frozenset(entry.topic for entry in self.entries))
