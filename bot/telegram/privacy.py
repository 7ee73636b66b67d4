"""/datenschutz, /meinedaten (Art. 15) and /vergessen (Art. 17): the user's side of the DSGVO."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.engine.render import LOCALE
from bot.store import reminders as ledger
from bot.telegram import callbacks, format, texts
from bot.telegram.handlers import send
from bot.telegram.state import BotState, state_of, stored

QUESTIONS_LISTED = 50


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    text = texts.PRIVACY.format(
        name=state.kb.call.name, days=state.settings.retention_days, responsible=state.kb.call.responsible
    )
    await send(update.message, format.plain(text))


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Everything the bot holds about this person, found through the pseudonymous key.

    Only in a private chat: the list holds questions asked in private, which a group must not see.
    """
    if update.effective_chat.type != ChatType.PRIVATE or update.effective_user is None:
        await send(update.message, format.plain(texts.MY_DATA_PRIVATE_ONLY.format(username=context.bot.username)))
        return
    state = state_of(context)
    questions = await stored(state.querylog.questions_of(state.pseudonyms.key(update.effective_user.id)))
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
    since = await stored(ledger.subscribed_since(await state.reminders.db(), chat_id))
    if since is None:
        return texts.MY_SUBSCRIPTION_NONE
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
    if query.data not in (callbacks.FORGET_YES, callbacks.FORGET_NO):  # PTB passes callbacks without data here
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    if query.data != callbacks.FORGET_YES:
        await query.edit_message_text(texts.FORGET_CANCELLED)
        return
    state = state_of(context)
    state.memory.forget(query.message.chat.id)
    questions, events = await stored(state.querylog.forget(state.pseudonyms.key(query.from_user.id)))
    subscriptions = 0
    if query.message.chat.id == query.from_user.id:  # a private chat belongs to this person alone
        subscriptions = await stored(ledger.forget_chat(await state.reminders.db(), query.message.chat.id))
    await query.edit_message_text(
        texts.FORGOTTEN.format(questions=questions, events=events, subscriptions=subscriptions)
    )
