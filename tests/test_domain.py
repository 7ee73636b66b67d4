"""The shared vocabulary agrees with everything that repeats it: the loader, /themen, the schema."""

from __future__ import annotations

import re

from bot.domain import BROWSABLE, Button, EventKind, Outcome, ReminderStatus, Topic, schedule
from bot.knowledge import TOPICS
from bot.store.database import MIGRATIONS
from bot.telegram import callbacks, format


def checked_values(column: str) -> set[str]:
    """The values a CHECK constraint of the schema allows for a column."""
    (found,) = {
        m for step in MIGRATIONS for m in re.findall(rf"{column} TEXT NOT NULL CHECK \({column} IN \(([^)]*)\)", step)
    }
    return {value.strip(" '") for value in found.split(",")}


def test_the_loader_accepts_exactly_the_domains_topics(kb):
    assert tuple(Topic) == TOPICS
    assert {entry.topic for entry in kb.entries} <= set(Topic)
    assert all(isinstance(entry.topic, Topic) for entry in kb.entries)


def test_every_topic_but_smalltalk_has_a_label_and_themen_shows_them_in_the_domains_order(kb):
    assert [topic for topic in Topic if not topic.label] == [Topic.SMALLTALK]
    keyboard = format.topics_keyboard(kb)
    shown = [(b.text, b.callback_data) for row in keyboard.inline_keyboard for b in row]
    assert shown == [(t.label, f"t:{t}") for t in BROWSABLE if t in kb.topics]
    assert len(shown) == len(BROWSABLE)  # the shipped knowledge has an entry for every browsable topic


def test_the_schema_allows_exactly_the_domains_values():
    assert checked_values("outcome") == set(Outcome)
    assert checked_values("kind") == set(EventKind)
    assert checked_values("status") == set(ReminderStatus)


def test_button_kinds_are_read_from_the_data_they_are_written_to(kb):
    written = {
        Button.ENTRY: callbacks.show_entry("kontakt-ansprechpartner"),
        Button.TOPIC: callbacks.show_topic(Topic.DEADLINE),
        Button.SUBSCRIBE: callbacks.SUBSCRIBE,
        Button.CHOICE: callbacks.choose("0123456789ab", "kontakt-ansprechpartner"),
        Button.UP: callbacks.feedback("0123456789ab", "kontakt-ansprechpartner", True),
        Button.DOWN: callbacks.feedback("0123456789ab", "kontakt-ansprechpartner", False),
    }
    for kind, data in written.items():
        assert callbacks.parse(data, kb).kind is kind
    for other in (callbacks.CHECK_START, callbacks.FORGET_YES, "x", "", None, 42, "u"):
        assert callbacks.parse(other, kb) is None
    assert {kind for kind in Button if kind.vote} == {Button.UP, Button.DOWN}
    assert [kind.vote for kind in (Button.UP, Button.DOWN)] == [EventKind.UP, EventKind.DOWN]


def test_reminder_slots_are_in_time_order_and_none_after_its_deadline(kb):
    slots = schedule(kb.call)
    assert [slot.due for slot in slots] == sorted(slot.due for slot in slots)
    assert all(slot.due <= slot.deadline.ends for slot in slots)
    assert [slot.job_name for slot in slots][-1] == "reminder:bewerbung:0"
