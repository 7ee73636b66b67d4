"""`foerderbot run`: the Telegram bot, long polling."""

from __future__ import annotations

import argparse
import asyncio
import os

from telegram.error import InvalidToken

from bot.cli.common import add_now_option, clock_from
from bot.config import Settings, WebhookSettings
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.store.database import check_writable
from bot.telegram.app import build_application, run_polling
from bot.telegram.logsafe import configure_logging
from bot.telegram.startup import TOKEN_REJECTED, StartError, check_database, wait_for_telegram
from bot.telegram.webhook import run_webhook


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "run", help="den Telegram-Bot starten (Long Polling oder mit --webhook; Konfiguration per Umgebung)"
    )
    add_now_option(parser)
    parser.add_argument("--webhook", action="store_true", help="Webhook statt Long Polling (FOERDERBOT_WEBHOOK_*)")
    parser.set_defaults(handler=run_bot)


def run_bot(args: argparse.Namespace) -> int:
    os.umask(0o077)  # everything the bot writes (database, WAL, secret, health) is the owner's alone
    settings = Settings.from_env(knowledge=args.knowledge)
    webhook = WebhookSettings.from_env() if args.webhook else None
    configure_logging(settings.token, settings.log_level)
    engine = Engine(load_knowledge(settings.knowledge))
    check_writable(settings.data_dir)  # first: a folder or database it cannot use is one line
    asyncio.run(_preflight(settings))
    application = build_application(settings, engine, clock_from(args, engine))
    try:
        if webhook:
            run_webhook(application, webhook)
        else:
            run_polling(application)
    except InvalidToken:  # PTB's message quotes the token: it must not reach the terminal or a log
        raise StartError(TOKEN_REJECTED) from None
    return 0


async def _preflight(settings: Settings) -> None:
    await check_database(settings)
    await wait_for_telegram(settings, settings.start_attempts)
