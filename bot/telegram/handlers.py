"""Telegram handlers: thin, they read the update, ask the engine and send what `format` builds."""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType, ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.engine.render import contacts_text, deadline_date, deadline_sentence
from bot.store import reminders as reminder_ledger
from bot.telegram import callbacks, format, texts
from bot.telegram.flood import Verdict
from bot.telegram.reminders import planned_dates
from bot.telegram.state import BotState, StorageUnavailable, state_of, stored

log = logging.getLogger(__name__)
_HARMLESS = re.compile(r"message is not modified|query is too old|query id is invalid", re.IGNORECASE)
"""Telegram's answers to the same topic pressed twice and to a button pressed long ago."""
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
SEND_ATTEMPTS = 3


async def send(message: Message, outgoing: list[format.Outgoing]) -> None:
    """Reply in the message's chat; in groups as a reply, so it is clear whom the bot answers.

    A 5xx or a cut connection is tried again (SEND_ATTEMPTS in all); a timeout is not, since the
    message may have arrived (429 is the rate limiter's job).
    """
    quote = message.chat.type != ChatType.PRIVATE
    for piece in outgoing:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await message.reply_text(
                    piece.html,
                    parse_mode=ParseMode.HTML,
                    reply_markup=piece.keyboard,
                    link_preview_options=NO_PREVIEW,
                    do_quote=quote,
                )
                break
            except (TimedOut, BadRequest):  # both are NetworkErrors in PTB; neither is worth a retry
                raise
            except NetworkError as exc:
                if attempt == SEND_ATTEMPTS:
                    raise
                log.warning("reply failed (%s), attempt %d of %d", exc.message, attempt, SEND_ATTEMPTS)
                await asyncio.sleep(0.5 * attempt)


async def flood_guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every other handler; stops updates from a chat that sends too much."""
    chat = update.effective_chat
    if chat is None or not (update.message or update.callback_query):
        return
    verdict = state_of(context).flood.check(chat.id)
    if verdict is Verdict.PASS:
        return
    if verdict is Verdict.WARN:
        log.warning("flood control: a chat went over the limit and is ignored for a while")
        await context.bot.send_message(chat.id, texts.FLOODED)
    elif update.callback_query:
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, optionally with a deep-link payload naming an entry or a topic."""
    state = state_of(context)
    state.memory.forget(update.effective_chat.id)
    payload = context.args[0] if context.args else ""
    if payload in state.kb.by_id:
        reply = state.engine.answer(state.kb.by_id[payload], state.clock.now())
        await send(update.message, format.messages_for(reply, state.kb, call_open=state.call_open()))
        return
    if payload in state.kb.topics:
        await _show_topic(update.message, state, payload)
        return
    welcome = texts.WELCOME.format(name=state.kb.call.name)
    keyboard = format.topics_keyboard(state.kb)
    if state.kb.check:
        keyboard = InlineKeyboardMarkup([format.check_row(), *keyboard.inline_keyboard])
    await send(update.message, format.plain(f"{welcome}\n\n{texts.PRIVACY_LINE}", keyboard))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    welcome = texts.WELCOME.format(name=state.kb.call.name)
    await send(update.message, format.plain(f"{welcome}\n\n{texts.HELP_COMMANDS}"))


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    await send(update.message, format.plain(texts.CHOOSE_TOPIC, format.topics_keyboard(state.kb)))


async def deadline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    now = state.clock.now()
    lines = []
    for item in state.kb.call.deadlines:
        lines.append(texts.DEADLINE_LINE.format(label=item.label, date=deadline_date(item)))
        lines.append(deadline_sentence(item, now))
    await send(update.message, format.plain("\n".join(lines)))


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    call = state_of(context).kb.call
    intro = texts.CONTACT_INTRO.format(website=call.website, documents=call.documents_url)
    await send(update.message, format.plain(f"{intro}\n{contacts_text(call)}"))


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/erinnerung: remind this chat of the deadline(s), with the dates it will hear from the bot."""
    state = state_of(context)
    await send(update.message, format.plain(await _subscription_text(state, update.effective_chat.id)))


async def _subscription_text(state: BotState, chat_id: int) -> str:
    now, call = state.clock.now(), state.kb.call
    sentence = deadline_sentence(call.main_deadline, now)
    if now > call.closes:
        return texts.CALL_CLOSED.format(sentence=sentence)
    new = await stored(reminder_ledger.subscribe(await state.reminders.db(), chat_id, now))
    upcoming = state.reminders.upcoming(now)
    if not upcoming:
        return texts.NO_MORE_REMINDERS.format(sentence=sentence)
    template = texts.SUBSCRIBED if new else texts.ALREADY_SUBSCRIBED
    return template.format(dates=planned_dates(upcoming), time=f"{call.reminders.at:%H:%M}")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    ended = await stored(reminder_ledger.unsubscribe(await state.reminders.db(), update.effective_chat.id))
    await send(update.message, format.plain(texts.UNSUBSCRIBED if ended else texts.NOT_SUBSCRIBED))


async def bot_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Blocked or removed from a chat: its reminders end (no message: the bot cannot send any)."""
    change = update.my_chat_member
    if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        state = state_of(context)
        await stored(reminder_ledger.unsubscribe(await state.reminders.db(), change.chat.id))


def _addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """The question in a message meant for the bot; None for group chatter not addressed to it."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{username}".casefold()
    mentioned = any(
        entity.type == MessageEntityType.MENTION
        and text[entity.offset : entity.offset + entity.length].casefold() == mention
        for entity in message.entities
    )
    replied = message.reply_to_message is not None and message.reply_to_message.from_user is not None
    if mentioned:
        return re.sub(re.escape(f"@{username}"), " ", text, flags=re.IGNORECASE).strip()
    if replied and message.reply_to_message.from_user.id == bot_id:
        return text
    return None


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    text = _addressed_text(message, context.bot.username, context.bot.id)
    if text is None:
        return
    state = state_of(context)
    now, chat = state.clock.now(), message.chat.id
    reply = state.engine.reply(text, now, state.memory.previous(chat, now))
    state.memory.remember(chat, reply, now)
    ref = state.pseudonyms.question_ref(update.update_id)
    state.log_question(ref, update, reply.question, reply)
    await send(message, format.messages_for(reply, state.kb, ref, call_open=state.call_open()))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update.message, format.plain(texts.ONLY_TEXT))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button; forged or stale data gets a polite answer, never an exception."""
    query = update.callback_query
    state = state_of(context)
    action = callbacks.parse(query.data, state.kb)
    if action is None or query.message is None:
        await _acknowledge(query, texts.STALE_BUTTON)
        return
    if action.kind in ("e", "c"):
        await _acknowledge(query)
        if action.kind == "c":
            state.log_event(action.ref, "choice", action.value)
        reply = state.engine.answer(state.kb.by_id[action.value], state.clock.now())
        await send(query.message, format.messages_for(reply, state.kb, action.ref, call_open=state.call_open()))
    elif action.kind == "s":
        await _acknowledge(query)
        await send(query.message, format.plain(await _subscription_text(state, query.message.chat.id)))
    elif action.kind == "t":
        await _acknowledge(query)
        if action.value:
            label = texts.TOPIC_LABELS.get(action.value, action.value)
            text, keyboard = texts.CHOOSE_QUESTION.format(label=label), format.topic_keyboard(state.kb, action.value)
        else:
            text, keyboard = texts.CHOOSE_TOPIC, format.topics_keyboard(state.kb)
        await query.edit_message_text(text, reply_markup=keyboard)
    elif not _may_vote(query):
        await _acknowledge(query, texts.STALE_BUTTON)
    else:
        state.log_event(action.ref, "up" if action.kind == "u" else "down", action.value)
        await _acknowledge(query, texts.FEEDBACK_THANKS)
        await query.edit_message_reply_markup(format.without_feedback(query.message.reply_markup))


async def _acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; a button pressed long ago cannot be acknowledged, but still acts."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        if not _HARMLESS.search(exc.message):
            raise
        log.info("Telegram: %s (a button pressed long ago)", exc.message)


def _may_vote(query: CallbackQuery) -> bool:
    """A vote counts only for the answer its message shows, and in a group only from the person who
    asked (the answer quotes the question). The message comes from Telegram; the data anyone can forge."""
    keyboard = getattr(query.message, "reply_markup", None)
    if keyboard is None or not any(b.callback_data == query.data for row in keyboard.inline_keyboard for b in row):
        return False
    if query.message.chat.type == ChatType.PRIVATE:
        return True
    asked = query.message.reply_to_message
    return asked is not None and asked.from_user is not None and asked.from_user.id == query.from_user.id


async def _show_topic(message: Message, state, topic: str) -> None:
    label = texts.TOPIC_LABELS.get(topic, topic)
    await send(message, format.plain(texts.CHOOSE_QUESTION.format(label=label), format.topic_keyboard(state.kb, topic)))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every failure (the log filter removes the token); the bot keeps running.

    A reply that needed the database, when it is unavailable, becomes "gerade nicht möglich".
    """
    if isinstance(context.error, BadRequest) and _HARMLESS.search(context.error.message):
        log.info("Telegram: %s (a button pressed twice or long ago)", context.error.message)
        return
    if not isinstance(context.error, StorageUnavailable):
        log.error("error while handling an update", exc_info=context.error)
        return
    log.warning("storage unavailable (%s): a request that needs it was declined", context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query:
        await update.callback_query.answer(texts.STORAGE_UNAVAILABLE, show_alert=True)
    elif update.effective_message:
        await send(update.effective_message, format.plain(texts.STORAGE_UNAVAILABLE))
