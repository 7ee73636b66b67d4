"""`foerderbot report`: what was asked, what went unanswered, what people disliked."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from tabulate import tabulate

from bot.cli.report_html import render_html
from bot.cli.suggest import suggestions
from bot.config import data_dir as data_dir_from
from bot.config import knowledge_dir
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.store.database import connect, database_path
from bot.store.report import CSV_COLUMNS, OUTCOMES, Period, Report, build_report, csv_rows


class ReportError(Exception):
    """The report cannot be made; the message says why."""


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "report", help="Auswertung des Fragenprotokolls (Tabellen, JSON, CSV, HTML, Vorschläge)"
    )
    parser.add_argument(
        "action", nargs="?", choices=["suggest"], help="suggest: YAML-Vorschläge aus unbeantworteten Fragen"
    )
    parser.add_argument("--since", type=_day, metavar="DATUM", help="ab diesem Tag (JJJJ-MM-TT, einschließlich)")
    parser.add_argument("--until", type=_day, metavar="DATUM", help="bis zu diesem Tag (einschließlich)")
    parser.add_argument("--data-dir", type=Path, help="Datenordner (Standard: $FOERDERBOT_DATA_DIR oder ./data)")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="so viele Einträge und Gruppen zeigen")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="ein JSON-Objekt auf stdout")
    output.add_argument("--csv", type=Path, metavar="FILE", help="eine Zeile je protokollierter Frage in FILE")
    output.add_argument("--html", type=Path, metavar="FILE", help="eine eigenständige HTML-Seite mit Diagrammen")
    parser.set_defaults(handler=run_report)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT)") from None


def run_report(args: argparse.Namespace) -> int:
    data_dir = data_dir_from(args.data_dir)
    if not database_path(data_dir).exists():
        raise ReportError(f"keine Datenbank unter {database_path(data_dir)}: Datenordner mit --data-dir angeben")
    kb = load_knowledge(knowledge_dir(args.knowledge))
    return asyncio.run(_report(args, data_dir, kb))


async def _report(args: argparse.Namespace, data_dir: Path, kb: KnowledgeBase) -> int:
    period = Period(args.since, args.until)
    connection = await connect(data_dir, create=False)
    try:
        if args.csv:
            count = await _write_csv(connection, kb, period, args.csv)
            print(f"{count} Fragen nach {args.csv} geschrieben")
            return 0
        report = await build_report(connection, kb.call, period, datetime.now(UTC))
    finally:
        await connection.close()
    if args.action == "suggest":
        print(suggestions(report, kb, args.top))
    elif args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif args.html:
        args.html.write_text(render_html(report, kb, period), encoding="utf-8")
        print(f"HTML-Bericht geschrieben: {args.html}")
    else:
        print_tables(report, args.top)
    return 0


async def _write_csv(connection, kb: KnowledgeBase, period: Period, path: Path) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_COLUMNS)
        async for row in csv_rows(connection, kb.call, period):
            writer.writerow(row)
            count += 1
    return count


def print_tables(report: Report, top: int, out=sys.stdout) -> None:
    def show(title: str, rows: list, headers: list[str]) -> None:
        print(f"\n{title}", file=out)
        print(tabulate(rows, headers=headers, tablefmt="simple") if rows else "  (keine)", file=out)

    rates = ", ".join(f"{o} {report.outcomes[o]} ({report.rate(o):.0%})" for o in OUTCOMES)
    print(
        f"Fragen: {report.total} – {rates}; Feedback: 👍 {report.feedback['up']}, 👎 {report.feedback['down']}",
        file=out,
    )
    show(
        "Fragen pro Tag",
        [(d["date"], d["total"], d["answer"], d["clarify"], d["fallback"]) for d in report.per_day],
        ["Tag", "Fragen", "Antwort", "Rückfrage", "Rückfall"],
    )
    show(
        "Meistgefragte Einträge",
        [(e["entry"], e["count"], e["up"], e["down"]) for e in report.entries[:top]],
        ["Eintrag", "Fragen", "👍", "👎"],
    )
    show(
        "Unbeantwortet (Gruppen ähnlicher Fragen, dringendste zuerst)",
        [
            (c.count, round(c.weight, 1), " | ".join(c.examples[:3]), c.closest_entry or "–")
            for c in report.unanswered[:top]
        ],
        ["Anzahl", "Gewicht", "Beispiele", "nächster Eintrag"],
    )
