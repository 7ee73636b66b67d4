"""The application core on its own: what the bot does, without Telegram or the stand-in Bot API.

The Telegram tests prove the same behaviour end to end through the handlers; these prove it at
the services, where it lives.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest

from bot.clock import Clock
from bot.config import Settings
from bot.core import Services
from bot.core.asking import Ask
from bot.core.journal import Asker
from bot.core.knowledge import Knowledge
from bot.core.reminders import Delivery, Subscribed
from bot.domain import EventKind, Outcome, ReminderStatus, Slot, schedule
from bot.store.database import database_path
from bot.store.pseudonym import load_secret

WHO_MAY_APPLY = "Wer ist zur Bewerbung berechtigt?"
AND_A_FIRM = "Und eine Firma aus dem Münsterland?"
ANNA, BERND = 5210487391, 5210487392  # real Telegram IDs are this long: a short one turns up by chance in a hex digest
CLOSED = datetime.fromisoformat("2017-03-01T10:00:00+01:00")
SLOT = datetime.fromisoformat("2017-02-16T09:00:00+01:00")  # one day before the deadline


def settings(tmp_path, knowledge) -> Settings:
    return Settings(
        token="1:unused", api_base_url="http://127.0.0.1:9", data_dir=tmp_path / "data", knowledge=knowledge,
        admin_ids=frozenset(), send_rate=0, flood_messages=0, flood_window=60,
    )  # fmt: skip


@pytest.fixture
async def open_core(tmp_path, engine, knowledge_copy):
    """Services at a chosen moment, opened on a fresh data folder; closed after the test."""
    opened: list[Services] = []

    async def at(moment: datetime) -> Services:
        core = Services.build(settings(tmp_path, knowledge_copy), engine, Clock(moment))
        await core.open()
        opened.append(core)
        return core

    yield at
    for core in opened:
        await core.close()


@pytest.fixture
async def core(open_core, before) -> Services:
    return await open_core(before)


def rows(core: Services, sql: str) -> list[tuple]:
    with sqlite3.connect(database_path(core.database.data_dir)) as connection:
        return connection.execute(sql).fetchall()


def asker(chat: int, update_id: int | None = None) -> Asker:
    return Asker(chat=chat, user_id=chat, update_id=update_id)


async def test_a_follow_up_is_read_in_its_own_chat_only(core, engine, before):
    expected = engine.reply(AND_A_FIRM, before, engine.reply(WHO_MAY_APPLY, before))
    assert expected.entry is not None
    core.ask.ask(WHO_MAY_APPLY, asker(ANNA))
    assert core.ask.ask(AND_A_FIRM, asker(ANNA)).reply.entry == expected.entry
    assert core.ask.ask(AND_A_FIRM, asker(BERND)).reply.outcome is Outcome.FALLBACK


async def test_starting_over_and_forgetting_clear_the_context(core):
    core.ask.ask(WHO_MAY_APPLY, asker(ANNA))
    core.ask.start_over(ANNA)
    assert core.ask.ask(AND_A_FIRM, asker(ANNA)).reply.entry is None
    core.ask.ask(WHO_MAY_APPLY, asker(ANNA))
    await core.privacy.forget(ANNA, ANNA)
    assert core.ask.ask(AND_A_FIRM, asker(ANNA)).reply.entry is None


async def test_a_logged_question_has_a_ref_a_pseudonymous_key_and_redacted_text(core, before):
    question = "Bis wann läuft die Frist? Meine Nummer ist 0171 2345678"
    answered = core.ask.ask(question, Asker(ANNA, ANNA, "private", "de", update_id=1))
    assert answered.ref is not None and answered.call_open
    core.ask.ask("Frist?", Asker(ANNA, ANNA, "private", "de", update_id=1))  # the same update again: one row
    await core.querylog.flush()
    ((ref, key, text, outcome),) = rows(core, "SELECT ref, user_key, text, outcome FROM questions")
    assert ref == answered.ref and str(ANNA) not in key and "2345678" not in text
    assert outcome == Outcome.ANSWER


async def test_choices_and_votes_are_logged_against_the_question_and_the_last_vote_counts(core):
    asked = core.ask.ask("Frist?", asker(ANNA, update_id=2))
    entry = asked.reply.entry.id
    chosen = core.ask.choose(asked.ref, "kontakt-ansprechpartner", ANNA)
    assert chosen.reply.entry.id == "kontakt-ansprechpartner" and chosen.ref is None  # nothing to vote on twice
    core.ask.vote(asked.ref, entry, EventKind.UP)
    core.ask.vote(asked.ref, entry, EventKind.DOWN)
    core.ask.vote("000000000000", entry, EventKind.UP)  # no such question: not stored
    await core.querylog.flush()
    assert sorted(rows(core, "SELECT kind, entry FROM events")) == [
        (EventKind.CHOICE, "kontakt-ansprechpartner"),
        (EventKind.DOWN, entry),
    ]


async def test_each_answer_of_a_message_keeps_its_own_last_vote(core):
    asked = core.ask.ask("Wie hoch ist die Förderung und wann ist Abgabeschluss?", asker(ANNA, update_id=3))
    first, second = (entry.id for entry in asked.reply.entries)
    await core.querylog.flush()
    assert rows(core, "SELECT entry, also_entry FROM questions") == [(first, second)]  # both answers logged
    core.ask.vote(asked.ref, first, EventKind.UP)
    core.ask.vote(asked.ref, second, EventKind.UP)
    core.ask.vote(asked.ref, second, EventKind.DOWN)
    await core.querylog.flush()
    assert sorted(rows(core, "SELECT entry, kind FROM events")) == sorted([(first, "up"), (second, "down")])
    # Art. 15: the person sees which answer each vote was for
    ((_, _, done),) = (await core.privacy.my_data(ANNA, ANNA)).questions
    assert sorted(done.split(",")) == ["down:2", "up:1"]


async def test_an_entry_that_does_not_exist_is_no_answer(core):
    assert core.ask.show("gibt-es-nicht") is None
    assert core.ask.choose("000000000000", "gibt-es-nicht", ANNA) is None


def test_the_terminal_asks_the_same_service_and_stores_nothing(engine, before, tmp_path):
    ask = Ask(Knowledge(engine, Clock(before)))
    ask.ask(WHO_MAY_APPLY, Asker("terminal", update_id=9))
    answered = ask.ask(AND_A_FIRM, Asker("terminal", update_id=10))
    assert answered.reply.entry is not None and answered.ref is None
    assert not list(tmp_path.iterdir())


async def test_subscribe_again_unsubscribe_and_a_closed_call(core, open_core):
    first, again = await core.reminders.subscribe(ANNA), await core.reminders.subscribe(ANNA)
    assert first.result is Subscribed.NEW and again.result is Subscribed.ALREADY
    assert [slot.days_before for slot in first.upcoming] == [14, 7, 1, 0]
    assert await core.reminders.unsubscribe(ANNA) and not await core.reminders.unsubscribe(ANNA)
    assert rows(core, "SELECT count(*) FROM subscriptions") == [(0,)]  # no chat id is kept
    closed = await open_core(CLOSED)
    assert (await closed.reminders.subscribe(BERND)).result is Subscribed.CALL_CLOSED


async def test_my_data_and_forget_cover_questions_feedback_and_the_subscription(core, before):
    asked = core.ask.ask("Wann ist die Frist?", asker(ANNA, update_id=3))
    core.ask.ask("Wer darf sich bewerben?", asker(ANNA, update_id=4))
    core.ask.ask("Hallo", asker(BERND, update_id=5))
    core.ask.vote(asked.ref, asked.reply.entry.id, EventKind.UP)
    await core.reminders.subscribe(ANNA)

    mine = await core.privacy.my_data(ANNA, ANNA)
    assert [(text, done) for _, text, done in mine.questions] == [
        ("Wann ist die Frist?", "up"),  # the vote belongs to the person too (Art. 15)
        ("Wer darf sich bewerben?", ""),
    ]
    assert mine.subscribed_since is not None and abs(mine.subscribed_since - before) < timedelta(minutes=1)

    gone = await core.privacy.forget(ANNA, ANNA)
    assert (gone.questions, gone.events, gone.subscriptions) == (2, 1, 1)
    again = await core.privacy.forget(ANNA, ANNA)
    assert (again.questions, again.events, again.subscriptions) == (0, 0, 0)
    assert rows(core, "SELECT text FROM questions") == [("Hallo",)]  # the other person's question stays
    assert (await core.privacy.my_data(ANNA, ANNA)).questions == []


async def test_forgetting_in_a_group_keeps_the_groups_subscription(core):
    group = -100555
    await core.reminders.subscribe(group)
    assert (await core.privacy.forget(ANNA, group)).subscriptions == 0
    assert rows(core, "SELECT chat_id FROM subscriptions") == [(group,)]


class RecordingAlarm:
    """The core's alarm as a front end provides it; this one writes down what it was asked to do."""

    def __init__(self) -> None:
        self.set_for: dict[str, timedelta] = {}

    def set(self, slot: Slot, delay: timedelta) -> None:
        self.set_for[slot.job_name] = delay


async def test_reload_keeps_a_broken_version_and_replans_reminders_after_a_good_one(core, knowledge_copy):
    alarm = RecordingAlarm()
    core.reminders.ring_with(alarm)
    running = core.knowledge.kb.version
    region = knowledge_copy / "entries" / "region.yaml"
    good = region.read_text(encoding="utf-8")
    region.write_text("- id: kaputt\n  topic: [\n", encoding="utf-8")
    broken = await core.reload()
    assert broken.errors and "region.yaml" in broken.errors[0] and broken.version == running
    assert core.knowledge.kb.version == running and not alarm.set_for

    region.write_text(good.replace("Emscher-Lippe-Region", "Emscher-Lippe-Region (neu)", 1), encoding="utf-8")
    reloaded = await core.reload()
    assert not reloaded.errors
    assert core.knowledge.kb.version == reloaded.version != running
    assert set(alarm.set_for) == {slot.job_name for slot in schedule(core.knowledge.kb.call)}


async def test_stats_count_outcomes_per_period_and_cluster_the_unanswered(core):
    for n, text in enumerate(["Frist?", "Wer darf sich bewerben?", "Wie wird das Wetter morgen?"]):
        core.ask.ask(text, asker(ANNA + n, update_id=20 + n))
    figures = await core.stats.figures()
    for counts in (figures.today, figures.last_7_days, figures.all_time):
        assert counts.total == 3 and counts.per_outcome[Outcome.FALLBACK] == 1
        assert counts.answer_rate == pytest.approx(2 / 3)
    (cluster,) = await core.stats.unanswered()
    assert cluster.examples == ["Wie wird das Wetter morgen?"]


async def test_a_broadcast_sends_each_reminder_once_and_a_blocked_chat_is_forgotten(open_core, before):
    early = await open_core(before)
    for chat in (1, 2, 3):
        await early.reminders.subscribe(chat)
    await early.close()
    core = await open_core(SLOT)
    slot = next(s for s in schedule(core.knowledge.kb.call) if s.due == SLOT)
    sent: list[int] = []

    async def deliver(chat_id: int, slot: Slot) -> Delivery:
        if chat_id == 2:
            return Delivery(ReminderStatus.FAILED, "blockiert", blocked=True)
        sent.append(chat_id)
        return Delivery(ReminderStatus.SENT)

    await core.reminders.broadcast(slot, deliver)
    await core.reminders.broadcast(slot, deliver)  # woken twice: nobody gets it twice
    assert sent == [1, 3]
    assert rows(core, "SELECT chat_id, status FROM reminders ORDER BY chat_id") == [(1, "sent"), (3, "sent")]
    assert rows(core, "SELECT chat_id FROM subscriptions ORDER BY chat_id") == [(1,), (3,)]


async def test_slots_missed_for_too_long_are_skipped_when_planning(open_core, before):
    early = await open_core(before)
    await early.reminders.subscribe(ANNA)
    await early.close()
    late = await open_core(SLOT + timedelta(hours=7))  # past LATE_GRACE
    alarm = RecordingAlarm()
    late.reminders.ring_with(alarm)
    await late.reminders.plan()
    assert rows(late, "SELECT days_before, status FROM reminders ORDER BY days_before") == [
        (1, "skipped"),
        (7, "skipped"),
        (14, "skipped"),
    ]
    assert set(alarm.set_for) == {"reminder:bewerbung:0"}


def test_the_secret_for_keys_is_made_once_per_data_folder(tmp_path, engine, before, knowledge_copy):
    Services.build(settings(tmp_path, knowledge_copy), engine, Clock(before))
    secret = load_secret(tmp_path / "data", None)
    Services.build(settings(tmp_path, knowledge_copy), engine, Clock(before))
    assert load_secret(tmp_path / "data", None) == secret
