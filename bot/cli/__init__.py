"""The `foerderbot` command: one parser, one subcommand per job, errors as one clear line."""

from __future__ import annotations

import argparse
import shlex
import sys

from bot import __version__
from bot.cli import check, conversation, german, health, knowledge, reminders, report, serve
from bot.clock import ClockError
from bot.config import ConfigError, knowledge_dir
from bot.engine.evaluate import EvalSetError
from bot.german import os_error_text
from bot.knowledge import KnowledgeError
from bot.store.database import DatabaseError
from bot.telegram.startup import StartError


class UsageError(Exception):
    """Something the user asked for cannot be done; the message says why and what to do."""


KNOWLEDGE_HELP = "Wissensordner (Standard: $FOERDERBOT_KNOWLEDGE oder der mitgelieferte)"


def build_parser() -> argparse.ArgumentParser:
    german.install()
    parser = argparse.ArgumentParser(
        prog="foerderbot",
        description="Förderbot: beantwortet Fragen zu einem Förderaufruf (Telegram und Terminal).",
    )
    parser.add_argument(
        "--version", action="version", version=f"foerderbot {__version__}", help="Version zeigen und beenden"
    )
    parser.add_argument("--knowledge", metavar="DIR", help=KNOWLEDGE_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    conversation.register(commands)
    check.register(commands)
    knowledge.register(commands)
    serve.register(commands)
    report.register(commands)
    reminders.register(commands)
    health.register(commands)
    _accept_knowledge_everywhere(parser)
    return parser


def _accept_knowledge_everywhere(parser: argparse.ArgumentParser) -> None:
    """--knowledge also after the subcommand (`foerderbot ask --knowledge DIR …`), where people type it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                if not any(isinstance(a, argparse._SubParsersAction) for a in subparser._actions):
                    subparser.add_argument("--knowledge", metavar="DIR", default=argparse.SUPPRESS, help=KNOWLEDGE_HELP)
                _accept_knowledge_everywhere(subparser)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except KnowledgeError as exc:
        folder = knowledge_dir(getattr(args, "knowledge", None))
        hint = f"foerderbot kb check {shlex.quote(str(folder))}"
        print(f"foerderbot: Wissensbasis fehlerhaft: {exc} – Details: {hint}", file=sys.stderr)
    except (ClockError, ConfigError, DatabaseError, EvalSetError, report.ReportError, StartError) as exc:
        print(f"foerderbot: {exc}", file=sys.stderr)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as exc:
        print(f"foerderbot: {os_error_text(exc)}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2
