"""Turn engine replies into Telegram messages: escaped HTML, split at 4,096 characters, buttons."""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.domain import BROWSABLE, Outcome, Topic
from bot.engine import Reply
from bot.knowledge import Entry, KnowledgeBase
from bot.telegram import callbacks, texts

MAX_LABEL = 60
RELATED_OF_TWO = 2
"""Related-entry buttons per answer when a message holds two: ten rows of buttons helped no one."""
_SOURCE_SUFFIX = f"\n\n{texts.SOURCE}"


@dataclass(frozen=True)
class Outgoing:
    html: str
    keyboard: InlineKeyboardMarkup | None = None


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line or word where possible."""
    pieces = []
    while len(text) > limit:
        window = text[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return [piece for piece in pieces if piece] or [""]


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def entry_button(entry: Entry) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_label(entry.canonical), callback_data=callbacks.show_entry(entry.id))]


def messages_for(reply: Reply, kb: KnowledgeBase, ref: str | None = None, *, call_open: bool = False) -> list[Outgoing]:
    """What the bot sends for a reply, the last message carrying the buttons.

    `ref` names the logged question, so that a choice or a vote can be logged against it;
    answers shown from browsing have none and get no vote buttons. While the call is open,
    deadline answers offer reminders.
    """
    if reply.outcome is Outcome.CLARIFY:
        rows = [
            [InlineKeyboardButton(_label(o.canonical), callback_data=callbacks.choose(ref, o.id))]
            if ref
            else entry_button(o)
            for o in reply.options
        ]
        return [Outgoing(html.escape(reply.body), InlineKeyboardMarkup(rows))]
    if reply.outcome is Outcome.FALLBACK:
        button = InlineKeyboardButton(texts.SHOW_TOPICS, callback_data=callbacks.show_topic())
        return _pieces(reply.text, None, InlineKeyboardMarkup([[button]]))  # a note first, if any
    answered = reply.entries
    topics = {entry.topic for entry in answered}
    shown = {callbacks.show_entry(entry.id) for entry in answered}
    each = None if len(answered) == 1 else RELATED_OF_TWO
    related = [
        [row for row in related_rows(entry, kb) if row[0].callback_data not in shown][:each] for entry in answered
    ]
    rows = [list(row) for row in dict.fromkeys(row for rows in related for row in rows)]  # in order, once
    if call_open and Topic.DEADLINE in topics:
        rows.insert(0, [InlineKeyboardButton(texts.REMIND_ME, callback_data=callbacks.SUBSCRIBE)])
    if kb.check and Topic.ELIGIBILITY in topics:
        rows.insert(0, check_row())
    if ref:
        numbered = len(answered) > 1
        rows += [vote_row(ref, entry, number if numbered else None) for number, entry in enumerate(answered, 1)]
    return _answer_pieces(reply, InlineKeyboardMarkup(rows) if rows else None)


def vote_row(ref: str, entry: Entry, number: int | None) -> list[InlineKeyboardButton]:
    """👍/👎 for one answer; numbered in the order of the answers when the message holds two (a topic's
    name read like one more question: "👍 Wer darf sich bewerben?")."""
    up, down = (
        (texts.FEEDBACK_UP, texts.FEEDBACK_DOWN)
        if number is None
        else (texts.FEEDBACK_UP_NTH.format(number=number), texts.FEEDBACK_DOWN_NTH.format(number=number))
    )
    return [
        InlineKeyboardButton(up, callback_data=callbacks.feedback(ref, entry.id, True)),
        InlineKeyboardButton(down, callback_data=callbacks.feedback(ref, entry.id, False)),
    ]


def _answer_pieces(reply: Reply, keyboard: InlineKeyboardMarkup | None) -> list[Outgoing]:
    """One message for the answer(s), each with its own source link; split only when too long."""
    sections = ([(reply.note, None)] if reply.note else []) + list(reply.sections)
    if len(sections) == 1:
        return _pieces(reply.body, reply.source, keyboard)
    joined = "\n\n".join(html.escape(body) + (_source_link(source) if source else "") for body, source in sections)
    if len(joined) <= MessageLimit.MAX_TEXT_LENGTH:
        return [Outgoing(joined, keyboard)]
    pieces = [piece for body, source in sections for piece in _pieces(body, source, None)]
    return [*pieces[:-1], Outgoing(pieces[-1].html, keyboard)]


def _source_link(source: str) -> str:
    return f'\n\n<a href="{html.escape(source, quote=True)}">{texts.SOURCE}</a>'


@lru_cache(maxsize=1024)
def related_rows(entry: Entry, kb: KnowledgeBase) -> tuple[tuple[InlineKeyboardButton, ...], ...]:
    """ "Siehe auch" buttons; the same for every answer of an entry, so built once."""
    return tuple(tuple(entry_button(kb.by_id[related])) for related in entry.related if related in kb.by_id)


def plain(text: str, keyboard: InlineKeyboardMarkup | None = None) -> list[Outgoing]:
    """Any text of the bot's own, escaped and split."""
    return _pieces(text, None, keyboard)


def _pieces(text: str, source: str | None, keyboard: InlineKeyboardMarkup | None) -> list[Outgoing]:
    reserve = len(_SOURCE_SUFFIX) if source else 0
    pieces = split_text(text, MessageLimit.MAX_TEXT_LENGTH - reserve)
    escaped = [html.escape(piece) for piece in pieces]
    if source:
        escaped[-1] += _source_link(source)
    last = len(escaped) - 1
    return [Outgoing(piece, keyboard if index == last else None) for index, piece in enumerate(escaped)]


def check_row() -> list[InlineKeyboardButton]:
    """ "Bin ich antragsberechtigt?": starts the eligibility check in a message of its own."""
    return [InlineKeyboardButton(texts.CHECK_BUTTON, callback_data=callbacks.CHECK_START)]


def topics_keyboard(kb: KnowledgeBase) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(topic.label, callback_data=callbacks.show_topic(topic))
        for topic in BROWSABLE
        if topic in kb.topics
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def topic_keyboard(kb: KnowledgeBase, topic: Topic) -> InlineKeyboardMarkup:
    rows = [entry_button(entry) for entry in kb.entries if entry.topic == topic]
    rows.append([InlineKeyboardButton(texts.BACK, callback_data=callbacks.show_topic())])
    return InlineKeyboardMarkup(rows)


def without_vote(keyboard: InlineKeyboardMarkup | None, pressed: str) -> InlineKeyboardMarkup | None:
    """The keyboard after a vote: the 👍/👎 row of the answer voted on goes (one vote per answer);
    related entries and the other answer's vote stay."""
    if keyboard is None:
        return None
    rows = [row for row in keyboard.inline_keyboard if not any(b.callback_data == pressed for b in row)]
    return InlineKeyboardMarkup(rows) if rows else None
