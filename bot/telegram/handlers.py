"""Telegram handlers: thin adapters – read the update, call a core service, send what `format` builds."""

from __future__ import annotations

import asyncio
import logging
import re

from telegram import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType, ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.core import Services
from bot.core.asking import Answered
from bot.core.journal import Asker
from bot.core.reminders import Subscribed
from bot.core.storage import StorageUnavailable
from bot.domain import Button, Topic
from bot.engine import wording
from bot.engine.render import closed_sentence, contacts_text, deadline_date, deadline_sentence
from bot.knowledge import KnowledgeBase
from bot.telegram import callbacks, format, texts
from bot.telegram.context import flood as flood_of
from bot.telegram.context import services
from bot.telegram.flood import Verdict
from bot.telegram.reminders import planned_dates

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
    if update.message and not _meant_for_the_bot(update.message, context.bot.username, context.bot.id):
        return  # group chatter the bot ignores anyway must not use up the group's allowance
    verdict = flood_of(context.bot_data).check(chat.id)
    if verdict is Verdict.PASS:
        return
    if verdict is Verdict.WARN:
        log.warning("flood control: a chat went over the limit and is ignored for a while")
        await context.bot.send_message(chat.id, texts.FLOODED)
    if update.callback_query:  # else the button's spinner turns until Telegram gives up
        await update.callback_query.answer()
    raise ApplicationHandlerStop


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, optionally with a deep-link payload naming an entry or a topic."""
    core = services(context.bot_data)
    core.ask.start_over(update.effective_chat.id)
    kb = core.knowledge.kb
    payload = context.args[0] if context.args else ""
    if (answered := core.ask.show(payload)) is not None:
        await send(update.message, _messages(answered))
        return
    if payload in kb.topics:
        await send(update.message, _topic(kb, Topic(payload)))
        return
    welcome = texts.WELCOME.format(name=kb.call.name)
    closed = closed_sentence(kb.call, core.knowledge.now())
    if closed:  # after the deadline nobody may be welcomed as if they could still apply
        welcome += "\n\n" + wording.CALL_CLOSED.format(sentence=closed)
    keyboard = format.topics_keyboard(kb)
    if kb.check:
        keyboard = InlineKeyboardMarkup([format.check_row(), *keyboard.inline_keyboard])
    await send(update.message, format.plain(f"{welcome}\n\n{texts.PRIVACY_LINE}", keyboard))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    welcome = texts.WELCOME.format(name=services(context.bot_data).knowledge.kb.call.name)
    await send(update.message, format.plain(f"{welcome}\n\n{texts.HELP_COMMANDS}"))


async def topics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    kb = services(context.bot_data).knowledge.kb
    await send(update.message, format.plain(texts.CHOOSE_TOPIC, format.topics_keyboard(kb)))


async def deadline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    knowledge = services(context.bot_data).knowledge
    now = knowledge.now()
    lines = []
    for item in knowledge.kb.call.deadlines:
        lines.append(texts.DEADLINE_LINE.format(label=item.label, date=deadline_date(item)))
        lines.append(deadline_sentence(item, now))
    await send(update.message, format.plain("\n".join(lines)))


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    call = services(context.bot_data).knowledge.kb.call
    intro = texts.CONTACT_INTRO.format(website=call.website, documents=call.documents_url)
    await send(update.message, format.plain(f"{intro}\n{contacts_text(call)}"))


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/erinnerung: remind this chat of the deadline(s), with the dates it will hear from the bot."""
    await send(update.message, format.plain(await _subscribe(services(context.bot_data), update.effective_chat.id)))


async def _subscribe(core: Services, chat_id: int) -> str:
    subscription = await core.reminders.subscribe(chat_id)
    call, now = core.knowledge.kb.call, core.knowledge.now()
    if subscription.result is Subscribed.CALL_CLOSED:
        return texts.CALL_CLOSED.format(sentence=deadline_sentence(call.main_deadline, now))
    if subscription.result is Subscribed.NO_MORE_REMINDERS:
        return texts.NO_MORE_REMINDERS.format(sentence=deadline_sentence(call.main_deadline, now))
    template = texts.SUBSCRIBED if subscription.result is Subscribed.NEW else texts.ALREADY_SUBSCRIBED
    return template.format(dates=planned_dates(subscription.upcoming), time=f"{call.reminders.at:%H:%M}")


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ended = await services(context.bot_data).reminders.unsubscribe(update.effective_chat.id)
    await send(update.message, format.plain(texts.UNSUBSCRIBED if ended else texts.NOT_SUBSCRIBED))


async def bot_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Blocked or removed from a chat: its reminders end (no message: the bot cannot send any)."""
    change = update.my_chat_member
    if change.new_chat_member.status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
        await services(context.bot_data).reminders.unsubscribe(change.chat.id)


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


def _meant_for_the_bot(message: Message, username: str, bot_id: int) -> bool:
    """A command, or a message the bot would answer (in a group: addressed to it)."""
    return (message.text or "").startswith("/") or _addressed_text(message, username, bot_id) is not None


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    text = _addressed_text(message, context.bot.username, context.bot.id)
    if text is None:
        return
    user = update.effective_user
    asker = Asker(
        chat=message.chat.id,
        user_id=user.id if user else None,
        chat_type=message.chat.type,
        language=user.language_code if user else None,
        update_id=update.update_id,
    )
    await send(message, _messages(services(context.bot_data).ask.ask(text, asker)))


def _messages(answered: Answered) -> list[format.Outgoing]:
    return format.messages_for(answered.reply, answered.kb, answered.ref, call_open=answered.call_open)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update.message, format.plain(texts.ONLY_TEXT))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every inline button; forged or stale data gets a polite answer, never an exception."""
    query = update.callback_query
    core = services(context.bot_data)
    kb = core.knowledge.kb
    action = callbacks.parse(query.data, kb)
    if action is None or query.message is None:
        await _acknowledge(query, texts.STALE_BUTTON)
        return
    chat = query.message.chat.id
    if action.kind in (Button.ENTRY, Button.CHOICE):
        await _acknowledge(query)
        if action.kind is Button.CHOICE and pressed_by_asker(query):
            answered = core.ask.choose(action.ref, action.value, chat)
        else:  # an entry opened, or another member's choice: shown, but not counted as the asker's
            answered = core.ask.show(action.value)
        if answered is not None:  # None: a reload removed the entry a moment ago
            await send(query.message, _messages(answered))
    elif action.kind is Button.SUBSCRIBE:
        await _acknowledge(query)
        await send(query.message, format.plain(await _subscribe(core, chat)))
    elif action.kind is Button.TOPIC:
        await _acknowledge(query)
        if action.value:
            topic = Topic(action.value)
            text, keyboard = texts.CHOOSE_QUESTION.format(label=topic.label), format.topic_keyboard(kb, topic)
        else:
            text, keyboard = texts.CHOOSE_TOPIC, format.topics_keyboard(kb)
        await query.edit_message_text(text, reply_markup=keyboard)
    elif not _shown(query):
        await _acknowledge(query, texts.STALE_BUTTON)
    elif not pressed_by_asker(query):
        await _acknowledge(query, texts.NOT_YOUR_BUTTON)
    else:
        core.ask.vote(action.ref, action.value, action.kind.vote)
        await _acknowledge(query, texts.FEEDBACK_THANKS)
        await query.edit_message_reply_markup(format.without_vote(query.message.reply_markup, query.data))


async def _acknowledge(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner; a button pressed long ago cannot be acknowledged, but still acts."""
    try:
        await query.answer(text)
    except BadRequest as exc:
        if not _HARMLESS.search(exc.message):
            raise
        log.info("Telegram: %s (a button pressed long ago)", exc.message)


def _shown(query: CallbackQuery) -> bool:
    """A vote counts only for the answer its message shows: the message comes from Telegram, the
    data anyone can forge."""
    keyboard = getattr(query.message, "reply_markup", None)
    return keyboard is not None and any(b.callback_data == query.data for row in keyboard.inline_keyboard for b in row)


def pressed_by_asker(query: CallbackQuery) -> bool:
    """In a group a button belongs to the person whose message the bot's message replies to (the
    answer quotes the question, the /vergessen prompt the command); in a private chat to its owner."""
    if query.message.chat.type == ChatType.PRIVATE:
        return True
    asked = query.message.reply_to_message
    return asked is not None and asked.from_user is not None and asked.from_user.id == query.from_user.id


def _topic(kb: KnowledgeBase, topic: Topic) -> list[format.Outgoing]:
    return format.plain(texts.CHOOSE_QUESTION.format(label=topic.label), format.topic_keyboard(kb, topic))


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
