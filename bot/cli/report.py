"""`foerderbot report`: what was asked, what went unanswered, what people disliked."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
from collections.abc import Iterator
from contextlib import aclosing, contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from babel.numbers import format_decimal
from tabulate import tabulate

from bot.cli.report_html import not_shown, render_html
from bot.cli.suggest import suggestions
from bot.config import data_dir as data_dir_from
from bot.config import knowledge_dir
from bot.engine.vocabulary import UnknownWords
from bot.german import LOCALE, counted, percent, short_day
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.store.database import connect, database_path
from bot.store.report import CSV_COLUMNS, OUTCOMES, Period, Report, build_report, csv_rows

OUTCOME_NAMES = {"answer": "Antwort", "clarify": "Rückfrage", "fallback": "Rückfall"}
WEEKS_FROM_DAYS = 21
"""Longer periods are shown per week in the terminal, so the unanswered stay on screen."""


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
    parser.add_argument(
        "--data-dir", type=Path, metavar="DIR", help="Datenordner (Standard: $FOERDERBOT_DATA_DIR oder ./data)"
    )
    parser.add_argument(
        "--top", type=_positive, default=10, metavar="N", help="so viele Einträge und Gruppen zeigen (Standard: 10)"
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="ein JSON-Objekt auf stdout")
    output.add_argument(
        "--csv", metavar="FILE", help="eine Zeile je Frage in FILE („-“: stdout), für deutsches Excel (BOM, „;“)"
    )
    output.add_argument(
        "--html", metavar="FILE", help="eine eigenständige HTML-Seite mit Diagrammen in FILE („-“: stdout)"
    )
    parser.add_argument(
        "--plain", action="store_true", help="mit --csv: UTF-8 ohne BOM, Komma, Zeiten mit Zeitzone (für Skripte)"
    )
    parser.set_defaults(handler=run_report)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT)") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"„{text}“: eine ganze Zahl ab 1 angeben")
    return int(text)


def _check(args: argparse.Namespace) -> None:
    if args.since and args.until and args.since > args.until:
        raise ReportError(f"--since {args.since} liegt nach --until {args.until}: Daten tauschen")
    if args.action == "suggest" and (args.json or args.csv or args.html):
        raise ReportError("report suggest schreibt YAML: ohne --json, --csv oder --html aufrufen")
    if args.plain and not args.csv:
        raise ReportError("--plain gilt nur zusammen mit --csv")


def run_report(args: argparse.Namespace) -> int:
    _check(args)
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
            with _opened(args.csv, excel=not args.plain) as file:
                count = await write_csv(connection, kb, period, file, excel=not args.plain)
            target = "auf die Standardausgabe" if args.csv == "-" else f"nach {args.csv}"
            written = f"{counted(count, 'Frage', 'Fragen')} {target} geschrieben"
            print(written, file=sys.stderr if args.csv == "-" else sys.stdout)
            return 0
        report = await build_report(connection, kb.call, period, datetime.now(UTC), UnknownWords(kb))
    finally:
        await connection.close()
    if args.action == "suggest":
        print(suggestions(report, kb, args.top))
    elif args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    elif args.html == "-":  # `docker exec … report --html - > bericht.html`
        sys.stdout.reconfigure(encoding="utf-8")
        print(render_html(report, kb, period, args.top))
    elif args.html:
        Path(args.html).write_text(render_html(report, kb, period, args.top), encoding="utf-8")
        print(f"HTML-Bericht geschrieben: {args.html}")
    else:
        print_tables(report, args.top, kb)
    return 0


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell: object) -> object:
    """A question a spreadsheet would run as a formula ("=HYPERLINK(…)") gets a leading "'" (OWASP)."""
    return f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_START) else cell


@contextmanager
def _opened(target: str, *, excel: bool) -> Iterator[TextIO]:
    """The file, or stdout for "-"; Excel needs the BOM to read UTF-8 (else "FÃ¶rder…")."""
    encoding = "utf-8-sig" if excel else "utf-8"
    if target == "-":
        sys.stdout.reconfigure(encoding=encoding, newline="")
        yield sys.stdout
        return
    with Path(target).open("w", newline="", encoding=encoding) as file:
        yield file


async def write_csv(connection, kb: KnowledgeBase, period: Period, file: TextIO, *, excel: bool) -> int:
    """German Excel: ";" between fields, decimal comma, local time; plain: commas and ISO times with offset."""
    writer = csv.writer(file, delimiter=";" if excel else ",")
    writer.writerow(CSV_COLUMNS)
    count = 0
    # closed at once if writing fails (`report --csv - | head`): left to the garbage collector, the
    # rows' cursor outlived the connection and asyncio printed its error
    async with aclosing(csv_rows(connection, kb.call, period)) as rows:
        async for row in rows:
            asked_at = datetime.fromisoformat(row[0]).astimezone(kb.call.tz)
            score, texts, rest = row[6], [_as_text(cell) for cell in row[1:6]], [_as_text(cell) for cell in row[7:]]
            if excel:
                day = asked_at.strftime("%Y-%m-%d %H:%M:%S")
                writer.writerow([day, *texts, f"{score:.1f}".replace(".", ","), *rest])
            else:
                writer.writerow([asked_at.isoformat(), *texts, score, *rest])
            count += 1
    return count


def summary_line(report: Report) -> str:
    """The totals in one German line: "Fragen: 2.363 – Antwort 1.791 (76 %), …"."""
    rates = ", ".join(
        f"{OUTCOME_NAMES[o]} {format_decimal(report.outcomes[o], locale=LOCALE)} ({percent(report.rate(o))})"
        for o in OUTCOMES
    )
    up, down = report.feedback["up"], report.feedback["down"]
    return f"Fragen: {format_decimal(report.total, locale=LOCALE)} – {rates}; Feedback: 👍 {up}, 👎 {down}"


def by_week(per_day: list[dict]) -> list[tuple]:
    """Per-day rows summed per ISO week, labelled "KW 3/2017 (16.01.–22.01.)"."""
    weeks: dict[tuple[int, int], list[dict]] = {}
    for day in per_day:
        year, week, _ = date.fromisoformat(day["date"]).isocalendar()
        weeks.setdefault((year, week), []).append(day)
    rows = []
    for (year, week), days in weeks.items():
        monday = date.fromisocalendar(year, week, 1)
        sunday = date.fromisocalendar(year, week, 7)
        label = f"KW {week}/{year} ({monday:%d.%m.}–{sunday:%d.%m.})"
        rows.append((label, *(sum(d[key] for d in days) for key in ("total", *OUTCOMES))))
    return rows


def print_tables(report: Report, top: int, kb: KnowledgeBase, out=sys.stdout) -> None:
    def show(title: str, rows: list, headers: list[str], total: int | None = None) -> None:
        print(f"\n{title}", file=out)
        print(tabulate(rows, headers=headers, tablefmt="simple") if rows else "  (keine)", file=out)
        if total is not None and total > len(rows):  # cut at --top: say so, or a hidden 👎 goes unseen
            print(f"  {not_shown(len(rows), total)}", file=out)

    print(summary_line(report), file=out)
    columns = ["Fragen", "Antwort", "Rückfrage", "Rückfall"]
    days = report.per_day
    span = (date.fromisoformat(days[-1]["date"]) - date.fromisoformat(days[0]["date"])).days + 1 if days else 0
    if span > WEEKS_FROM_DAYS:
        show("Fragen pro Woche", by_week(days), ["Woche", *columns])
    else:
        rows = [
            (
                _shown_day(d["date"]),
                d["total"],
                *(d[o] for o in OUTCOMES),
            )
            for d in days
        ]
        show("Fragen pro Tag", rows, ["Tag", *columns])
    show(
        "Meistgefragte Einträge",
        [(e["entry"], _canonical(kb, e["entry"]), e["count"], e["up"], e["down"]) for e in report.entries[:top]],
        ["Eintrag", "Frage", "Fragen", "👍 hilfreich", "👎 nicht hilfreich"],
        len(report.entries),
    )
    show(
        "Unbeantwortet (Gruppen ähnlicher Fragen, dringendste zuerst)",
        [
            (c.count, round(c.weight, 1), " | ".join(c.examples[:3]), c.closest_entry or "–")
            for c in report.unanswered[:top]
        ],
        ["Anzahl", "Gewicht", "Beispiele", "nächster Eintrag"],
        len(report.unanswered),
    )
    if report.noise:
        count = sum(c.count for c in report.noise)
        examples = " | ".join(c.examples[0] for c in report.noise[:5])
        print(f"\nOhne Bezug zur Wissensbasis: {counted(count, 'Frage', 'Fragen')}, z. B. {examples}", file=out)
    show(
        "Wörter, die die Wissensbasis nicht kennt (in unbeantworteten Fragen; für lexicon.yaml/synonyms.yaml)",
        [(w.word, w.count, " | ".join(w.examples)) for w in report.unknown_words[:top]],
        ["Wort", "Fragen", "Beispiele"],
        len(report.unknown_words),
    )
    show(
        "Eignungs-Check: erreichte Ergebnisse",
        [(result, count) for result, count in report.check_results.items()],
        ["Ergebnis", "Anzahl"],
    )
    show(
        "Eignungs-Check pro Tag",
        [(_shown_day(row["date"]), row["result"], row["count"]) for row in report.check_per_day],
        ["Tag", "Ergebnis", "Anzahl"],
    )


def _shown_day(iso: str) -> str:
    return short_day(date.fromisoformat(iso))


def _canonical(kb: KnowledgeBase, entry_id: str) -> str:
    """The entry's first question, so operators need not know ids; an id no longer in the base says so."""
    entry = kb.by_id.get(entry_id)
    return entry.canonical if entry else "(nicht mehr in der Wissensbasis)"
