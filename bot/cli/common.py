"""What several subcommands share: the knowledge folder, the engine and the clock."""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.clock import Clock, parse_moment
from bot.config import knowledge_dir
from bot.engine import Engine
from bot.knowledge import load_knowledge


def add_now_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--now", metavar="ISO", help="so tun, als sei es dieser Zeitpunkt (ISO 8601), z. B. 2017-01-20T10:00:00+01:00"
    )


def engine_from(args: argparse.Namespace) -> Engine:
    return Engine(load_knowledge(knowledge_dir(args.knowledge)))


def clock_from(args: argparse.Namespace, engine: Engine) -> Clock:
    start: datetime | None = parse_moment(args.now, engine.kb.call.tz) if args.now is not None else None
    return Clock(start)
