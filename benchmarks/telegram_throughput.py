"""Updates answered per second, end to end through the stand-in Bot API server, next to a bare
python-telegram-bot echo bot (PTB's default configuration) measured in the same run.

Run: python benchmarks/telegram_throughput.py [--updates 1500] [--rounds 5] [--messages FILE]
With --messages the texts of an eval set (e.g. ../shared/eval/messages.yaml: greetings, context,
two questions, dialect, English) are sent instead of the short regression questions, cycled;
target: at least 100 answers/s on 2 cores.
The server runs in its own process (tests/fake_telegram.py) so it does not share the bots' loop.
The global send-rate limit is lifted (FOERDERBOT_SEND_RATE=0) to measure the bot, not Telegram;
Förderbot logs every question to SQLite as in production.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.clock import Clock
from bot.config import SHIPPED_KNOWLEDGE, Settings
from bot.engine import Engine
from bot.engine.evaluate import load_eval_set
from bot.knowledge import load_knowledge
from bot.telegram.app import build_application

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fake_telegram import running, server_process  # noqa: E402  (the tests' stand-in server)

REGRESSION = ROOT / "tests" / "data" / "regression.yaml"


def updates(questions: list[str], count: int, first_chat: int, distinct: bool) -> list[dict]:
    """One text message from each of `count` different private chats.

    The questions cycle, as real traffic repeats itself; with `distinct` each one gets a unique
    number, so no cached ranking or embedding is ever reused.
    """
    return [
        {
            "message": {
                "message_id": n + 1,
                "date": int(time.time()),
                "chat": {"id": first_chat + n, "type": "private"},
                "from": {"id": first_chat + n, "is_bot": False, "first_name": "B"},
                "text": questions[n % len(questions)] + (f" {first_chat + n}" if distinct else ""),
            }
        }
        for n in range(count)
    ]


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.message.reply_text(update.message.text)


def echo_bot(token: str, base_url: str) -> Application:
    application = ApplicationBuilder().token(token).base_url(f"{base_url}/bot").build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


def foerderbot(token: str, base_url: str, engine: Engine, data_dir: Path) -> Application:
    settings = Settings(
        token=token,
        api_base_url=base_url,
        data_dir=data_dir,
        knowledge=SHIPPED_KNOWLEDGE,
        admin_ids=frozenset(),
        send_rate=0,
        flood_messages=0,
        flood_window=60,
    )
    return build_application(settings, engine, Clock(datetime.fromisoformat("2017-01-20T10:00:00+01:00")))


async def measure(
    application: Application, base_url: str, questions: list[str], count: int, first_chat: int, distinct: bool
) -> float:
    async with httpx.AsyncClient(base_url=base_url) as control:
        before = (await control.get("/control/sent")).json()["sent"]
        async with running(application):  # post_init included: Förderbot opens its query log there
            start = time.perf_counter()
            await control.post("/control/updates", json=updates(questions, count, first_chat, distinct))
            while (await control.get("/control/sent")).json()["sent"] - before < count:
                await asyncio.sleep(0.02)
            elapsed = time.perf_counter() - start
    return count / elapsed


async def main(count: int, rounds: int, messages: Path) -> None:
    questions = [item.question for item in load_eval_set(messages)]
    with server_process() as (base_url, token), tempfile.TemporaryDirectory(prefix="foerderbot-benchmark-") as scratch:
        engine = Engine(load_knowledge(SHIPPED_KNOWLEDGE))
        engine.reply(questions[0], datetime.now().astimezone())  # loads the embedding model once per process
        results: dict[str, list[float]] = {
            "echo": [],
            "foerderbot": [],
            "foerderbot, warm (long-running)": [],
            "foerderbot, distinct questions": [],
        }
        chat = 1
        for _ in range(rounds):
            for name in results:
                if name == "echo":
                    application = echo_bot(token, base_url)
                elif "warm" in name:  # one engine for all rounds: it has seen these texts before
                    application = foerderbot(token, base_url, engine, Path(scratch) / str(chat))
                else:  # fresh caches
                    application = foerderbot(token, base_url, Engine(engine.kb), Path(scratch) / str(chat))
                distinct = "distinct" in name
                results[name].append(await measure(application, base_url, questions, count, chat, distinct))
                chat += count
    echo_rate = statistics.median(results["echo"])
    print(f"{len(questions)} texts of {messages.name}, cycled")
    print(f"{count} updates from {count} chats, {rounds} rounds, median updates/s answered end to end:")
    target = "(target ≥ 80 %)" if messages == REGRESSION else "(target ≥ 100/s on 2 cores)"
    notes = {
        "foerderbot": target,
        "foerderbot, warm (long-running)": "(texts seen in an earlier round, as in a bot running for days)",
        "foerderbot, distinct questions": "(worst case: nothing cached)",
    }
    for name, rates in results.items():
        rate = statistics.median(rates)
        # Each round measures the echo bot and then Förderbot back to back: the median of those
        # paired ratios is steadier than the ratio of medians while the machine's load drifts.
        # The spread of those ratios shows how far one run on a shared machine can be trusted.
        ratios = sorted(r / e for r, e in zip(rates, results["echo"], strict=True))
        spread = f"{ratios[0]:.0%}–{ratios[-1]:.0%}" if len(ratios) > 1 else "one round"
        print(
            f"  {name:32} {rate:7.0f}/s   {rate / echo_rate:4.0%} of the echo bot"
            f" (paired by round: {statistics.median(ratios):4.0%}, rounds {spread}) {notes.get(name, '')}".rstrip()
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--messages", type=Path, default=REGRESSION, help="eval set whose texts are sent")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.updates, arguments.rounds, arguments.messages))
