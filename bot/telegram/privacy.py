"""/datenschutz, /meinedaten (Art. 15) and /vergessen (Art. 17): the user's side of the DSGVO."""

from __future__ import annotations

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.german import LOCALE, counted
from bot.telegram import callbacks, format, texts
from bot.telegram.context import services
from bot.telegram.handlers import pressed_by_asker, send

QUESTIONS_LISTED = 50


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    core = services(context.bot_data)
    call = core.knowledge.kb.call
    days = counted(core.privacy.retention_days, "Tag", "Tage")
    text = texts.PRIVACY.format(name=call.name, days=days, responsible=call.responsible)
    await send(update.message, format.plain(text))


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everything the bot holds about this person.

    Only in a private chat: the list holds questions asked in private, which a group must not see.
    """
    if update.effective_chat.type != ChatType.PRIVATE or update.effective_user is None:
        await send(update.message, format.plain(texts.MY_DATA_PRIVATE_ONLY.format(username=context.bot.username)))
        return
    core = services(context.bot_data)
    data = await core.privacy.my_data(update.effective_user.id, update.effective_chat.id)
    listed = "".join(f"\n  – {text}{_what_they_did(events)}" for _, text, events in data.questions[-QUESTIONS_LISTED:])
    if len(data.questions) > QUESTIONS_LISTED:
        listed = f"\n  (die letzten {QUESTIONS_LISTED})" + listed
    if data.subscribed_since is None:
        subscription = texts.MY_SUBSCRIPTION_NONE
    else:
        day = data.subscribed_since.astimezone(core.knowledge.kb.call.tz).date()
        subscription = texts.MY_SUBSCRIPTION_ACTIVE.format(since=format_date(day, format="long", locale=LOCALE))
    text = texts.MY_DATA.format(
        count=counted(len(data.questions), "Frage", "Fragen"),
        days=counted(data.retention_days, "Tag", "Tagen"),
        questions=listed,
        subscription=subscription,
    )
    await send(update.message, format.plain(text))


def _what_they_did(events: str) -> str:
    """ " (👍, Auswahl aus „Meinten Sie …?“)": a vote and a choice are stored with the question; with
    two answers, each vote says which (" (👍 1. Antwort, 👎 2. Antwort)")."""
    done = []
    for event in events.split(","):
        kind, _, answer = event.partition(":")
        if kind in texts.MY_EVENTS:
            done.append(texts.MY_EVENTS[kind] + (" " + texts.ANSWER_NUMBER.format(number=answer) if answer else ""))
    return f" ({', '.join(done)})" if done else ""


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask first: deleting cannot be undone."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.FORGET_YES, callback_data=callbacks.FORGET_YES),
                InlineKeyboardButton(texts.FORGET_NO, callback_data=callbacks.FORGET_NO),
            ]
        ]
    )
    await send(update.message, format.plain(texts.FORGET_CONFIRM, keyboard))


async def forget_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete questions, feedback and (in a private chat) the subscription; safe to repeat."""
    query = update.callback_query
    if query.data not in (callbacks.FORGET_YES, callbacks.FORGET_NO):  # PTB passes callbacks without data here
        await query.answer(texts.STALE_BUTTON)
        return
    if query.message is None or not pressed_by_asker(query):  # in a group: only who asked may confirm
        await query.answer(texts.NOT_YOUR_BUTTON)
        return
    await query.answer()
    if query.data != callbacks.FORGET_YES:
        await query.edit_message_text(texts.FORGET_CANCELLED)
        return
    gone = await services(context.bot_data).privacy.forget(query.from_user.id, query.message.chat.id)
    await query.edit_message_text(
        texts.FORGOTTEN.format(
            questions=counted(gone.questions, "Frage", "Fragen"),
            events=counted(gone.events, "Bewertung oder Auswahl", "Bewertungen und Auswahlen"),
            subscriptions=counted(gone.subscriptions, "Erinnerungs-Abo", "Erinnerungs-Abos"),
        )
    )
