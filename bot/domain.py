"""The bot's shared vocabulary: every value that more than one layer writes or reads, defined once.

Topics (with the German label /themen shows), what the bot did with a question, what people did
with an answer, a reminder's status, the kinds of inline buttons, and when reminders are due.
This module sits at the bottom of the layers (domain → knowledge → engine → store → core →
telegram / cli): it imports nothing of the bot at run time, so every layer may use it. The
scheduling reads the call from the knowledge base, which it names for type hints only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.knowledge.model import Call, Deadline


class Topic(StrEnum):
    """What an entry is about; /themen offers the topics with a label, in this order."""

    label: str | None

    def __new__(cls, value: str, label: str | None) -> Topic:
        topic = str.__new__(cls, value)
        topic._value_ = value
        topic.label = label
        return topic

    DEADLINE = "deadline", "Fristen"
    ELIGIBILITY = "eligibility", "Wer darf sich bewerben?"
    COOPERATION = "cooperation", "Kooperationen"
    DOCUMENTS = "documents", "Unterlagen"
    FUNDING = "funding", "Förderung und Geld"
    PROCEDURE = "procedure", "Ablauf der Bewerbung"
    SELECTION = "selection", "Auswahl"
    SCOPE = "scope", "Was wird gefördert?"
    REGION = "region", "Region"
    CONTACT = "contact", "Kontakt"
    BACKGROUND = "background", "Hintergrund"
    PRIVACY = "privacy", "Datenschutz"
    BOT = "bot", "Über diesen Bot"
    SMALLTALK = "smalltalk", None
    """Not offered in /themen: chit-chat is nothing anyone browses."""


BROWSABLE: tuple[Topic, ...] = tuple(topic for topic in Topic if topic.label)
TOPICS_WITHOUT_SOURCE: frozenset[Topic] = frozenset({Topic.BOT, Topic.SMALLTALK, Topic.PRIVACY})
"""Topics about the bot itself or chit-chat state no fact of the call, so need no `sources`."""
TOPICS_OF_TAKING_PART: frozenset[Topic] = frozenset(
    {Topic.DEADLINE, Topic.ELIGIBILITY, Topic.COOPERATION, Topic.DOCUMENTS, Topic.SCOPE}
)
"""Topics whose answers speak to someone who may still apply: once the call has closed, an answer
written for all times ("Unternehmen sind aufgerufen …") first says that it has. Not money and
procedure: much of them concerns funded projects after the deadline (the formal Förderantrag, the
Zuwendungsbescheid), where "Bewerbungen sind nicht mehr möglich" would mislead."""

TOPICS_OF_ORIGIN: frozenset[Topic] = frozenset({Topic.ELIGIBILITY, Topic.COOPERATION, Topic.REGION})
"""Topics whose answer depends on where someone is from: an answer to a message that names a
listed place says whether it lies in the region (call.yaml `places`)."""


class Outcome(StrEnum):
    """What the bot did with a question (stored in the query log as this text)."""

    ANSWER = "answer"
    CLARIFY = "clarify"
    FALLBACK = "fallback"


class EventKind(StrEnum):
    """What someone did with an answer: a choice in "Meinten Sie …?", 👍 or 👎."""

    CHOICE = "choice"
    UP = "up"
    DOWN = "down"


class ReminderStatus(StrEnum):
    """A reminder's row in the ledger: 'sending' is written before the send, so none goes out twice."""

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Button(StrEnum):
    """The kind of an inline button, the first letter of its callback data ("u:<ref>:<entry>")."""

    ENTRY = "e"
    TOPIC = "t"
    SUBSCRIBE = "s"
    CHOICE = "c"
    UP = "u"
    DOWN = "d"

    @property
    def about_a_question(self) -> bool:
        """A choice or a vote belongs to a logged question and carries its ref."""
        return self in (Button.CHOICE, Button.UP, Button.DOWN)

    @property
    def vote(self) -> EventKind | None:
        return {Button.UP: EventKind.UP, Button.DOWN: EventKind.DOWN}.get(self)


@dataclass(frozen=True)
class Slot:
    """One reminder moment: a deadline, how many days before it, and when that is."""

    deadline: Deadline
    days_before: int
    due: datetime

    @property
    def job_name(self) -> str:
        return f"reminder:{self.deadline.id}:{self.days_before}"


def schedule(call: Call) -> list[Slot]:
    """Every reminder slot of the call, earliest first; none after its deadline has ended."""
    slots = []
    for deadline in call.deadlines:
        for days in call.reminders.days_before:
            due = datetime.combine(deadline.day - timedelta(days=days), call.reminders.at, call.tz)
            if due <= deadline.ends:
                slots.append(Slot(deadline, days, due))
    return sorted(slots, key=lambda slot: slot.due)
