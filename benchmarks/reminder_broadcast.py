"""One reminder to N subscribers through the stand-in server, which answers 429 above 30/s.

Run: python benchmarks/reminder_broadcast.py [--subscribers 10000] [--rate 30]
Reports the achieved send rate (target ≥ 28/s), 429s received (target 0), duplicates and losses (0).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from bot.clock import Clock
from bot.config import SHIPPED_KNOWLEDGE, Settings
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.store.database import Database
from bot.store.reminders import ReminderLedger
from bot.telegram.app import build_application

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fake_telegram import running, server_process  # noqa: E402  (the tests' stand-in server)

SLOT = datetime.fromisoformat("2017-02-16T09:00:00+01:00")


async def main(subscribers: int, rate: int) -> None:
    with server_process(rate) as (base_url, token), tempfile.TemporaryDirectory(prefix="foerderbot-") as scratch:
        await broadcast(base_url, token, subscribers, rate, Path(scratch))


async def broadcast(base_url: str, token: str, subscribers: int, rate: int, data_dir: Path) -> None:
    database = Database(data_dir)
    ledger = ReminderLedger(database)
    for chat in range(1, subscribers + 1):
        await ledger.subscribe(10_000_000 + chat, SLOT - timedelta(days=2))
    await database.close()
    settings = Settings(
        token=token, api_base_url=base_url, data_dir=data_dir, knowledge=SHIPPED_KNOWLEDGE,
        admin_ids=frozenset(), send_rate=rate, flood_messages=0, flood_window=60,
    )  # fmt: skip
    application = build_application(settings, Engine(load_knowledge(SHIPPED_KNOWLEDGE)), Clock(SLOT))
    async with running(application), httpx.AsyncClient(base_url=base_url) as control:
        first = None
        while True:
            stats = (await control.get("/control/sent")).json()
            if stats["sent"] and first is None:
                first = (time.perf_counter(), stats["sent"])
            if stats["sent"] >= subscribers:
                break
            await asyncio.sleep(0.25)
        elapsed = time.perf_counter() - first[0]
        rate_achieved = (stats["sent"] - first[1]) / elapsed
    print(f"{subscribers} subscribers, stand-in server limited to {rate} messages/s")
    print(f"  achieved: {rate_achieved:.1f} messages/s (target ≥ {rate * 0.93:.0f}/s)")
    print(f"  429 received: {stats['too_many']}   duplicates: {stats['duplicates']}")
    print(f"  losses: {subscribers - stats['chats']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.subscribers, arguments.rate))
