"""`foerderbot health`: exit 0 if the running bot is healthy (for Docker's HEALTHCHECK)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.config import data_dir
from bot.telegram.health import check


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("health", help="Lebenszeichen des laufenden Bots prüfen (Exit 0 = gesund)")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="Datenordner (Standard: $FOERDERBOT_DATA_DIR oder ./data)"
    )
    parser.set_defaults(handler=run_health)


def run_health(args: argparse.Namespace) -> int:
    healthy, why = check(data_dir(args.data_dir))
    print(why)
    return 0 if healthy else 1
