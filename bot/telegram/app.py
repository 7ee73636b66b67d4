"""Build the python-telegram-bot Application: one function, as in PTB's own examples."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.clock import Clock
from bot.config import Settings
from bot.core import Services
from bot.engine import Engine
from bot.store.inbox import Inbox
from bot.telegram import callbacks, check, context, handlers, health, operators, privacy, texts
from bot.telegram.flood import FloodGuard
from bot.telegram.jsonrequest import JsonRequest
from bot.telegram.processor import PerChatUpdateProcessor
from bot.telegram.reminders import ReminderJobs
from bot.telegram.tolerant import TolerantBot

log = logging.getLogger(__name__)
MAX_CONCURRENT_UPDATES = 4
PURGE_EVERY = timedelta(days=1)
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
"""What the handlers below use; Telegram sends nothing else (fewer updates, fewer surprises)."""
NOT_TEXT = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.VOICE
    | filters.AUDIO
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.VENUE
    | filters.CONTACT
    | filters.POLL
    | filters.Dice.ALL
)


def build_application(settings: Settings, engine: Engine, clock: Clock) -> Application:
    limiter = None
    if settings.send_rate > 0:
        # One message per 1/rate seconds, no bursts: Telegram (and the stand-in) count per second.
        limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=1 / settings.send_rate, max_retries=3)
    bot = TolerantBot(
        settings.token,
        base_url=f"{settings.api_base_url}/bot",
        base_file_url=f"{settings.api_base_url}/file/bot",
        request=JsonRequest(),
        get_updates_request=HTTPXRequest(connection_pool_size=1),
        rate_limiter=limiter,
    )
    core = Services.build(settings, engine, clock)
    inbox = Inbox(settings.data_dir)
    bot.keep_in(inbox)
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(PerChatUpdateProcessor(MAX_CONCURRENT_UPDATES, handled=core.journal.handled))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    context.keep(
        application.bot_data, core, settings, FloodGuard(settings.flood_messages, settings.flood_window), inbox
    )

    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(Update, handlers.flood_guard), group=-1)
    # questions are most of the traffic: their handler is checked first (commands never match it)
    application.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, handlers.question))
    for names, callback in (
        (["start"], handlers.start),
        (["check"], check.command),
        (["hilfe", "help"], handlers.help_command),
        (["themen"], handlers.topics),
        (["frist"], handlers.deadline),
        (["kontakt"], handlers.contact),
        (["datenschutz"], privacy.privacy),
        (["meinedaten"], privacy.my_data),
        (["vergessen"], privacy.forget),
        (["neuladen"], operators.reload_knowledge),
        (["erinnerung"], handlers.subscribe),
        (["abmelden"], handlers.unsubscribe),
        (["stats"], operators.stats),
        (["unbeantwortet"], operators.unanswered),
    ):
        application.add_handler(CommandHandler(names, callback, filters=new_messages))
    application.add_handler(MessageHandler(new_messages & filters.ChatType.PRIVATE & NOT_TEXT, handlers.not_text))
    # an unknown command in a private chat gets the help rather than silence
    application.add_handler(
        MessageHandler(new_messages & filters.ChatType.PRIVATE & filters.COMMAND, handlers.help_command)
    )
    application.add_handler(CallbackQueryHandler(privacy.forget_confirmed, pattern=callbacks.FORGET_PATTERN))
    application.add_handler(CallbackQueryHandler(check.button, pattern=check.PATTERN))
    application.add_handler(CallbackQueryHandler(handlers.button))
    application.add_handler(ChatMemberHandler(handlers.bot_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_error_handler(handlers.on_error)
    return application


async def _post_init(application: Application) -> None:
    bot, core = application.bot, context.services(application.bot_data)
    inbox = context.inbox(application.bot_data)
    await core.open()
    await inbox.open()
    unhandled = await inbox.unhandled()
    for data in unhandled:  # received before a crash, not answered: first in line now
        await application.update_queue.put(bot.read_update(data))
    if unhandled:
        log.warning("inbox: %d updates received before the last stop are handled now", len(unhandled))
    send_rate = context.settings(application.bot_data).send_rate
    core.reminders.ring_with(ReminderJobs(application, core.reminders, core.knowledge, send_rate))
    await core.reminders.plan()
    # late is better than never: a loop busy for a second (a first answer) must not skip a run
    late_is_fine = {"misfire_grace_time": None}
    application.job_queue.run_repeating(
        _purge_old_questions, interval=PURGE_EVERY, first=1, name="retention", job_kwargs=late_is_fine
    )
    await health.beat(bot, application.bot_data)  # healthy from the start, not after the first interval
    application.job_queue.run_repeating(
        health.heartbeat, interval=health.BEAT_EVERY, first=health.BEAT_EVERY, name="heartbeat", job_kwargs=late_is_fine
    )
    await bot.set_my_commands([BotCommand(*c) for c in texts.COMMANDS_DE], scope=BotCommandScopeDefault())
    await bot.set_my_commands([BotCommand(*c) for c in texts.COMMANDS_EN], language_code="en")
    try:
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGHUP, lambda: application.create_task(core.reload(), name="reload")
        )
    except (NotImplementedError, RuntimeError, ValueError):
        log.info("SIGHUP reload not available here; use /neuladen")
    # The knowledge base, its indexes and the lexicons live as long as the process: the garbage
    # collector need not walk them again in every full collection while the bot answers.
    gc.collect()
    gc.freeze()
    kb = core.knowledge.kb
    log.info("bot @%s ready: knowledge %s, %d entries", bot.username, kb.version, len(kb.entries))


async def _post_shutdown(application: Application) -> None:
    await context.services(application.bot_data).close()
    await context.inbox(application.bot_data).close()
    health.farewell(context.settings(application.bot_data).data_dir)


async def _purge_old_questions(callback: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily: questions older than FOERDERBOT_RETENTION_DAYS are deleted, with their feedback."""
    core = context.services(callback.bot_data)
    deleted = await core.privacy.expire()
    await context.inbox(callback.bot_data).purge()
    log.info("retention: deleted %d questions older than %d days", deleted, core.privacy.retention_days)


def run_polling(application: Application) -> None:
    """Long polling until SIGINT or SIGTERM; PTB finishes running handlers before it returns."""
    application.run_polling(
        allowed_updates=ALLOWED_UPDATES,
        stop_signals=(signal.SIGINT, signal.SIGTERM, signal.SIGABRT),
    )
