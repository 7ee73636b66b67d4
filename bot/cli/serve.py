"""`foerderbot run`: the Telegram bot, long polling."""

from __future__ import annotations

import argparse

from bot.cli.common import add_now_option, clock_from
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.store.database import prepare_data_dir
from bot.telegram.app import run
from bot.telegram.logsafe import configure_logging


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("run", help="den Telegram-Bot starten (Long Polling; Konfiguration per Umgebung)")
    add_now_option(parser)
    parser.set_defaults(handler=run_bot)


def run_bot(args: argparse.Namespace) -> int:
    settings = Settings.from_env(knowledge=args.knowledge)
    configure_logging(settings.token, settings.log_level)
    engine = Engine(load_knowledge(settings.knowledge))
    prepare_data_dir(settings.data_dir)
    run(settings, engine, clock_from(args, engine))
    return 0
