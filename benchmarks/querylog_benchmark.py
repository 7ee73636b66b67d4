"""Query log: cost on the answering path, write throughput, and report runtime on 100,000 queries.

Run: python benchmarks/querylog_benchmark.py [--queries 100000]
Targets (README): logging adds < 1 ms per answered message; the report over 100,000 takes < 5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import SHIPPED_KNOWLEDGE
from bot.engine import Engine
from bot.engine.evaluate import load_eval_set
from bot.knowledge import load_knowledge
from bot.store.database import Database, connect
from bot.store.querylog import EventRecord, QueryLog, QuestionRecord
from bot.store.report import Period, build_report, csv_rows
from bot.store.times import utc_iso

ROOT = Path(__file__).resolve().parent.parent


async def main(count: int) -> None:
    engine = Engine(load_knowledge(SHIPPED_KNOWLEDGE))
    rng = random.Random(4)
    items = [
        i.question for p in ("regression.yaml", "holdout.yaml") for i in load_eval_set(ROOT / "tests" / "data" / p)
    ]
    start_day = datetime(2016, 11, 20, 8, tzinfo=UTC)
    replies = {q: engine.reply(q, start_day) for q in items}
    with tempfile.TemporaryDirectory() as folder:
        log = QueryLog(Database(Path(folder)))
        await log.open()
        adding = 0.0
        began = time.perf_counter()
        for n in range(count):
            question = rng.choice(items)
            if rng.random() < 0.3:  # a typo or an extra word: many distinct wordings, as in real logs
                question = f"{question} {rng.choice(['bitte', 'danke', 'eigentlich', 'nochmal'])}"
            reply = replies.get(question) or engine.reply(question, start_day)
            at = start_day + timedelta(seconds=n * 80)
            ref = secrets.token_hex(6)
            tick = time.perf_counter()
            log.add(
                QuestionRecord(
                    ref, utc_iso(at), "k" * 32, "private", "de", question, reply.outcome.value,
                    reply.entry.id if reply.entry else None, reply.score,
                    json.dumps([{"entry": c.entry.id, "score": c.score} for c in reply.candidates[:3]]),
                    engine.kb.version,
                )
            )  # fmt: skip
            if reply.entry and rng.random() < 0.1:
                log.add(EventRecord(ref, utc_iso(at), rng.choice(["up", "down"]), reply.entry.id))
            adding += time.perf_counter() - tick
            if n % 1000 == 0:
                await asyncio.sleep(0)  # the bot's loop yields between messages; so does this one
        await log.flush()
        written = time.perf_counter() - began
        await log.close()
        await log.database.close()
        print(f"{count} questions logged over {(at - start_day).days} days")
        print(f"  on the answering path (record + queue): {adding / count * 1e6:.1f} µs per message")
        print(f"  written to SQLite (batched, WAL):       {count / written:,.0f} questions/s")

        connection = await connect(Path(folder))
        tick = time.perf_counter()
        report = await build_report(connection, engine.kb.call, Period(None, None), start_day + timedelta(days=60))
        reported = time.perf_counter() - tick
        tick = time.perf_counter()
        rows = [row async for row in csv_rows(connection, engine.kb.call, Period(None, None))]
        exported = time.perf_counter() - tick
        await connection.close()
        print(f"  report (totals, per day, entries, {len(report.unanswered)} clusters): {reported:.2f} s")
        print(f"  CSV rows ({len(rows)}):                  {exported:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=100_000)
    asyncio.run(main(parser.parse_args().queries))
