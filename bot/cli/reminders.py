"""`foerderbot reminders`: the reminder schedule, the subscribers, and what was sent or failed."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from babel.dates import format_datetime
from tabulate import tabulate

from bot.cli.report import ReportError
from bot.config import data_dir as data_dir_from
from bot.config import knowledge_dir
from bot.domain import ReminderStatus, schedule
from bot.german import LOCALE
from bot.knowledge import load_knowledge
from bot.store.database import Database, database_path
from bot.store.reminders import ReminderLedger

STATES = (
    (ReminderStatus.SENT, "gesendet"),
    (ReminderStatus.FAILED, "fehlgeschlagen"),
    (ReminderStatus.SKIPPED, "übersprungen"),
    (ReminderStatus.SENDING, "unsicher"),
)


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("reminders", help="Erinnerungsplan, Abonnenten und Versandstand zeigen")
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="Datenordner (Standard: $FOERDERBOT_DATA_DIR oder ./data)"
    )
    parser.set_defaults(handler=run_reminders)


def run_reminders(args: argparse.Namespace) -> int:
    kb = load_knowledge(knowledge_dir(args.knowledge))
    data_dir = data_dir_from(args.data_dir)
    found = database_path(data_dir).exists()
    subscribers, per_slot = asyncio.run(_read(data_dir)) if found else (0, {})
    states = STATES if found else ()  # without a database, zeros would read as "nobody subscribed"
    rows = []
    for slot in schedule(kb.call):
        done = per_slot.get((slot.deadline.id, slot.days_before), {})
        when = format_datetime(slot.due, "d. MMMM y, HH:mm", tzinfo=kb.call.tz, locale=LOCALE)
        rows.append([slot.deadline.label, slot.days_before, when, *(done.get(state, 0) for state, _ in states)])
    headers = ["Frist", "Tage vorher", "Zeitpunkt", *(label for _, label in states)]
    print(tabulate(rows, headers=headers, tablefmt="simple"))
    if not found:
        raise ReportError(
            f"keine Datenbank unter {database_path(data_dir)}: Versandstand unbekannt; --data-dir angeben"
        )
    print(f"\nAbonnenten: {subscribers} (wer sich abmeldet oder den Bot blockiert, wird gelöscht)")
    print("„unsicher“: der Bot wurde während des Sendens beendet; diese werden nie doppelt gesendet.")
    return 0


async def _read(data_dir: Path):
    database = Database(data_dir, create=False)
    try:
        return await ReminderLedger(database).overview()
    finally:
        await database.close()
