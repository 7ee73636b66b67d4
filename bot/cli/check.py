"""`foerderbot check`: the eligibility check in the terminal, by numbers or as one --path."""

from __future__ import annotations

import argparse
import sys

from bot.cli.common import add_now_option, clock_from, engine_from
from bot.clock import Clock
from bot.engine.check import CheckStep, check_step
from bot.knowledge import KnowledgeBase
from bot.knowledge.checktree import PathError

EXIT_WORDS = frozenset({"exit", "quit", "ende"})
RESTART_WORDS = frozenset({"neu", "n"})


def register(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser("check", help="Eignungs-Check „Bin ich antragsberechtigt?“ im Terminal")
    check.add_argument(
        "--path", type=_path, metavar="1,2,1", help="Antwortnummern der Reihe nach: gibt das Ergebnis aus und endet"
    )
    add_now_option(check)
    check.set_defaults(handler=run_check)


def _path(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(f"„{text}“: Antwortnummern mit Kommas, z. B. 1,2,1")
    return tuple(int(part) for part in parts)


def run_check(args: argparse.Namespace) -> int:
    engine = engine_from(args)
    clock = clock_from(args, engine)
    kb = engine.kb
    if kb.check is None:
        print(f"foerderbot: kein Eignungs-Check für diesen Aufruf ({kb.root}/check.yaml fehlt)", file=sys.stderr)
        return 2
    if args.path is not None:
        return _print_path(kb, clock, args.path)
    print(f"Eignungs-Check – {kb.call.name}. Nummer eingeben; 0 = zurück, „neu“ = neu beginnen, „exit“ beendet.\n")
    _walk(kb, clock, interactive=sys.stdin.isatty())
    return 0


def _print_path(kb: KnowledgeBase, clock: Clock, path: tuple[int, ...]) -> int:
    try:
        step = check_step(kb, path, clock.now())
    except PathError as exc:
        print(f"foerderbot: --path {_show(path)}: {exc}", file=sys.stderr)
        return 2
    if step.result is None:
        print(f"foerderbot: --path {_show(path)} endet bei einer Frage: weitere Nummern anhängen", file=sys.stderr)
        print(_format(step), file=sys.stderr)
        return 2
    print(_format(step))
    return 0


def _show(path: tuple[int, ...]) -> str:
    return ",".join(map(str, path)) or "(leer)"


def _format(step: CheckStep) -> str:
    lines = [step.text]
    if step.options:
        lines += [f"  {number}. {label}" for number, label in enumerate(step.options, start=1)]
    return "\n".join(lines)


def _walk(kb: KnowledgeBase, clock: Clock, *, interactive: bool) -> None:
    """Ask, read a number, move on; the path is the whole state, as with the Telegram buttons."""
    path: tuple[int, ...] = ()
    while True:
        step = check_step(kb, path, clock.now())
        print(_format(step) + "\n", flush=True)
        while True:
            try:
                line = input("Ihre Wahl: " if interactive else "").strip().casefold()
            except EOFError:
                return
            if not interactive and line:
                print(f"Ihre Wahl: {line}")
            if line in EXIT_WORDS:
                return
            if line in RESTART_WORDS:
                path = ()
                break
            if line == "0" and path:
                path = path[:-1]
                break
            if line.isdigit() and 1 <= int(line) <= len(step.options):
                path = (*path, int(line))
                break
            if line:
                choices = f"1 bis {len(step.options)}, " if step.options else ""
                print(f"Bitte {choices}0 (zurück) oder „neu“ eingeben.")
