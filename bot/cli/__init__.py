"""The `foerderbot` command: one parser, one subcommand per job, errors as one clear line."""

from __future__ import annotations

import argparse
import sys

from bot import __version__
from bot.cli import check, conversation, health, knowledge, reminders, report, serve
from bot.clock import ClockError
from bot.config import ConfigError
from bot.engine.evaluate import EvalSetError
from bot.knowledge import KnowledgeError
from bot.store.database import DatabaseError


class UsageError(Exception):
    """Something the user asked for cannot be done; the message says why and what to do."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="foerderbot",
        description="Förderbot: beantwortet Fragen zu einem Förderaufruf (Telegram und Terminal).",
    )
    parser.add_argument("--version", action="version", version=f"foerderbot {__version__}")
    parser.add_argument(
        "--knowledge", metavar="DIR", help="Wissensordner (Standard: $FOERDERBOT_KNOWLEDGE oder der mitgelieferte)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    conversation.register(commands)
    check.register(commands)
    knowledge.register(commands)
    serve.register(commands)
    report.register(commands)
    reminders.register(commands)
    health.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KnowledgeError as exc:
        print(f"foerderbot: Wissensbasis fehlerhaft: {exc}. Details: foerderbot kb check", file=sys.stderr)
    except (ClockError, ConfigError, DatabaseError, EvalSetError, report.ReportError) as exc:
        print(f"foerderbot: {exc}", file=sys.stderr)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
    return 2
