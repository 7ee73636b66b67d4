"""Telegram handlers: thin, they read the update, ask the engine and send what `format` builds."""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType, ParseMode
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.engine.render import contacts_text, deadline_date, deadline_sentence
from bot.store import reminders as reminder_ledger
from bot.store.querylog import new_ref
from bot.telegram import callbacks, format, texts
from bot.telegram.flood import Verdict
from bot.telegram.reminders import planned_dates
from bot.telegram.state import BotState, state_of

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send(message: Message, outgoing: list[format.Outgoing]) -> None:
    """Reply in the message's chat; in groups as a reply, so it is clear whom the bot answers."""
    quote = message.chat.type != ChatType.PRIVATE
    for piece in outgoing:
        await message.reply_text(
            piece.html,
            parse_mode=ParseMode.HTML,
            reply_markup=piece.keyboard,
            link_preview_options=NO_PREVIEW,
            do_quote=quote,
        )


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
    new = await reminder_ledger.subscribe(state.reminders.connection, chat_id, now)
    upcoming = state.reminders.upcoming(now)
    if not upcoming:
        return texts.NO_MORE_REMINDERS.format(sentence=sentence)
    template = texts.SUBSCRIBED if new else texts.ALREADY_SUBSCRIBED
    return template.format(dates=planned_dates(upcoming), time=f"{call.reminders.at:%H:%M}")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = state_of(context)
    ended = await reminder_ledger.unsubscribe(state.reminders.connection, update.effective_chat.id, "abgemeldet")
    await send(update.message, format.plain(texts.UNSUBSCRIBED if ended else texts.NOT_SUBSCRIBED))


async def bot_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Blocked or removed from a chat: its reminders end (no message: the bot cannot send any)."""
    change = update.my_chat_member
    if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        state = state_of(context)
        await reminder_ledger.unsubscribe(state.reminders.connection, change.chat.id, "Bot blockiert oder entfernt")


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
    ref = new_ref()
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
        await query.answer(texts.STALE_BUTTON)
        return
    if action.kind in ("e", "c"):
        await query.answer()
        if action.kind == "c":
            state.log_event(action.ref, "choice", action.value)
        reply = state.engine.answer(state.kb.by_id[action.value], state.clock.now())
        await send(query.message, format.messages_for(reply, state.kb, action.ref, call_open=state.call_open()))
    elif action.kind == "s":
        await query.answer()
        await send(query.message, format.plain(await _subscription_text(state, query.message.chat.id)))
    elif action.kind == "t":
        await query.answer()
        if action.value:
            label = texts.TOPIC_LABELS.get(action.value, action.value)
            text, keyboard = texts.CHOOSE_QUESTION.format(label=label), format.topic_keyboard(state.kb, action.value)
        else:
            text, keyboard = texts.CHOOSE_TOPIC, format.topics_keyboard(state.kb)
        await query.edit_message_text(text, reply_markup=keyboard)
    else:
        state.log_event(action.ref, "up" if action.kind == "u" else "down", action.value)
        await query.answer(texts.FEEDBACK_THANKS)
        await query.edit_message_reply_markup(format.without_feedback(query.message.reply_markup))


async def _show_topic(message: Message, state, topic: str) -> None:
    label = texts.TOPIC_LABELS.get(topic, topic)
    await send(message, format.plain(texts.CHOOSE_QUESTION.format(label=label), format.topic_keyboard(state.kb, topic)))


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log every failure (the log filter removes the token); the bot keeps running."""
    log.error("error while handling an update", exc_info=context.error)
