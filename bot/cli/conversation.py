"""`foerderbot ask` and `foerderbot chat`: the bot's replies in the terminal, no token needed."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterable

from bot.cli import texts
from bot.cli.common import add_now_option, clock_from, engine_from
from bot.core.asking import Answered, Ask
from bot.core.journal import Asker
from bot.core.knowledge import Knowledge
from bot.domain import Outcome
from bot.engine import Reply
from bot.knowledge import Entry

EXIT_WORDS = frozenset({"exit", "quit", "ende", "tschuess-bot"})
SESSION = "terminal"
"""The one chat of `ask --session` and `chat`."""


def register(commands: argparse._SubParsersAction) -> None:
    ask = commands.add_parser("ask", help="Fragen beantworten (Argument oder eine Frage pro Zeile auf stdin)")
    ask.add_argument(
        "question", nargs="*", metavar="FRAGE", help="die Frage; ohne FRAGE eine Frage pro Zeile von stdin"
    )
    ask.add_argument("--json", action="store_true", help="je Antwort ein JSON-Objekt in einer Zeile")
    ask.add_argument(
        "--session", action="store_true", help="alle Zeilen als Nachrichten eines Chats (Rückfragen wie „Und Vereine?“)"
    )
    add_now_option(ask)
    ask.set_defaults(handler=run_ask)
    chat = commands.add_parser("chat", help="im Terminal mit dem Bot sprechen (ohne Token, ohne Netz)")
    add_now_option(chat)
    chat.set_defaults(handler=run_chat)


def reply_as_json(reply: Reply) -> str:
    return json.dumps(
        {
            "question": reply.question,
            "outcome": reply.outcome.value,
            "entry": reply.entry.id if reply.entry else None,
            "topic": reply.entry.topic if reply.entry else None,
            "entries": [entry.id for entry in reply.entries],
            "topics": [entry.topic for entry in reply.entries],
            "confidence": round(reply.confidence, 4),
            "score": reply.score,
            "candidates": [
                {"entry": c.entry.id, "topic": c.entry.topic, "score": c.score} for c in reply.candidates[:5]
            ],
            "text": reply.text,
        },
        ensure_ascii=False,
    )


def _questions(args: argparse.Namespace) -> Iterable[str]:
    if args.question:
        yield " ".join(args.question)
        return
    for line in sys.stdin:
        if line.strip():
            yield line.rstrip("\n")


def run_ask(args: argparse.Namespace) -> int:
    ask = _ask_service(args)
    for question in _questions(args):
        if not args.session:  # every line on its own: none is read as a follow-up
            ask.start_over(SESSION)
        reply = ask.ask(question, Asker(SESSION)).reply
        print(reply_as_json(reply) if args.json else reply.text + ("\n" if not args.question else ""), flush=True)
    return 0


def _ask_service(args: argparse.Namespace) -> Ask:
    """The bot's own ask service, without a query log: nothing typed here is stored."""
    engine = engine_from(args)
    return Ask(Knowledge(engine, clock_from(args, engine)))


def run_chat(args: argparse.Namespace) -> int:
    ask = _ask_service(args)
    interactive = sys.stdin.isatty()
    if interactive:
        _line_editing()
    print(texts.GREETING.format(name=ask.knowledge.kb.call.name))
    Chat(ask).loop(interactive)
    return 0


def _line_editing() -> None:
    """Arrow keys and history for input() (where the platform has readline; Windows has not)."""
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 – importing it is what switches input() over


class Chat:
    """A terminal conversation: numbers pick from "Meinten Sie …?" and "Siehe auch"."""

    def __init__(self, ask: Ask) -> None:
        self.ask = ask
        self.choices: list[Entry] = []

    def loop(self, interactive: bool) -> None:
        while True:
            try:
                line = input(texts.YOU if interactive else "")
            except EOFError:
                break
            line = line.strip()
            if not line:
                continue
            if line.casefold() in EXIT_WORDS:
                break
            if not interactive:
                print(texts.YOU + line)
            print(texts.BOT + self.respond(line) + "\n", flush=True)

    def respond(self, line: str) -> str:
        if line.isdigit() and self.choices and not 1 <= int(line) <= len(self.choices):
            count = len(self.choices)
            return texts.PICK_A_NUMBER.format(count=count) if count > 1 else texts.PICK_THE_ONE
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            answered = self.ask.show(self.choices[int(line) - 1].id, SESSION)
        else:
            answered = self.ask.ask(line, Asker(SESSION))
        return self._show(answered)

    def _show(self, answered: Answered) -> str:
        reply, kb = answered.reply, answered.kb
        if reply.outcome is Outcome.CLARIFY:
            self.choices = list(reply.options)
            lines = [f"  {n}. {entry.canonical}" for n, entry in enumerate(self.choices, start=1)]
            return "\n".join([reply.body, *lines, texts.PICK_OR_ASK])
        related = [kb.by_id[r] for r in reply.entry.related] if reply.entry else []
        self.choices = related
        if not related:
            return reply.text
        lines = [f"  {n}. {entry.canonical}" for n, entry in enumerate(related, start=1)]
        return "\n".join([reply.text, "", texts.SEE_ALSO, *lines])
