"""/datenschutz, /meinedaten (Art. 15) and /vergessen (Art. 17): the user's side of the DSGVO."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.engine.render import LOCALE
from bot.store import reminders as ledger
from bot.telegram import callbacks, format, texts
from bot.telegram.handlers import send
from bot.telegram.state import BotState, state_of

QUESTIONS_LISTED = 50


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    text = texts.PRIVACY.format(
        name=state.kb.call.name, days=state.settings.retention_days, responsible=state.kb.call.responsible
    )
    await send(update.message, format.plain(text))


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everything the bot holds about this person, found through the pseudonymous key."""
    state = state_of(context)
    questions = await state.querylog.questions_of(state.pseudonyms.key(update.effective_user.id))
    listed = "".join(f"\n  – {text}" for _, text in questions[-QUESTIONS_LISTED:])
    if len(questions) > QUESTIONS_LISTED:
        listed = f"\n  (die letzten {QUESTIONS_LISTED})" + listed
    text = texts.MY_DATA.format(
        count=len(questions),
        days=state.settings.retention_days,
        questions=listed,
        subscription=await _subscription(state, update.effective_chat.id),
    )
    await send(update.message, format.plain(text))


async def _subscription(state: BotState, chat_id: int) -> str:
    found = await ledger.subscription_of(state.reminders.connection, chat_id)
    if found is None:
        return texts.MY_SUBSCRIPTION_NONE
    since, active = found
    if not active:
        return texts.MY_SUBSCRIPTION_ENDED
    day = format_date(datetime.fromisoformat(since).astimezone(state.kb.call.tz).date(), format="long", locale=LOCALE)
    return texts.MY_SUBSCRIPTION_ACTIVE.format(since=day)


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
    await query.answer()
    if query.data != callbacks.FORGET_YES:
        await query.edit_message_text(texts.FORGET_CANCELLED)
        return
    state = state_of(context)
    state.memory.forget(query.message.chat.id)
    questions, events = await state.querylog.forget(state.pseudonyms.key(query.from_user.id))
    subscriptions = 0
    if query.message.chat.id == query.from_user.id:  # a private chat belongs to this person alone
        subscriptions = await ledger.forget_chat(state.reminders.connection, query.message.chat.id)
    await query.edit_message_text(
        texts.FORGOTTEN.format(questions=questions, events=events, subscriptions=subscriptions)
    )
