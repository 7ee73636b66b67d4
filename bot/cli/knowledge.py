"""`foerderbot kb check` and `foerderbot kb eval`: the staff's tools for the knowledge base."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from tabulate import tabulate

from bot.clock import parse_moment
from bot.config import knowledge_dir
from bot.engine import Engine
from bot.engine import thresholds as thresholds_module
from bot.engine.evaluate import Report, evaluate, load_eval_set
from bot.engine.fit import fit, fitted_block, objective, write_fitted
from bot.engine.quality import collisions
from bot.german import counted
from bot.knowledge import Severity, load_knowledge, read_knowledge
from bot.knowledge.checktree import CheckQuestion
from bot.knowledge.readiness import readiness_problems


def register(commands: argparse._SubParsersAction) -> None:
    kb = commands.add_parser("kb", help="Wissensbasis prüfen und bewerten")
    actions = kb.add_subparsers(dest="kb_command", required=True, metavar="AKTION")
    check = actions.add_parser(
        "check", help="Wissensbasis prüfen: Fehler mit Datei und Zeile, Warnungen zu Kollisionen"
    )
    check.add_argument("directory", nargs="?", metavar="DIR", help="Wissensordner (Standard wie --knowledge)")
    check.add_argument("--now", metavar="ISO", help="Zeitpunkt für die Prüfung der Antworten (Standard: jetzt)")
    check.set_defaults(handler=run_check)
    ev = actions.add_parser("eval", help="Fragenkatalog mit Sollthemen auswerten (Format von dev.yaml)")
    ev.add_argument(
        "file", metavar="FILE", type=Path, help="Fragenkatalog mit Sollthemen (Format von dev.yaml, auch Gespräche)"
    )
    ev.add_argument("--now", metavar="ISO", help="Zeitpunkt, zu dem geantwortet wird (Standard: jetzt)")
    ev.add_argument(
        "--min-accuracy", type=_share, metavar="ANTEIL", help="Exit 1, wenn in-scope accuracy darunter liegt (0–1)"
    )
    ev.add_argument(
        "--max-wrong", type=_share, metavar="ANTEIL", help="Exit 1, wenn wrong-answer rate darüber liegt (0–1)"
    )
    ev.set_defaults(handler=run_eval)
    fit = actions.add_parser("fit", help="Entscheidungsmodell auf Fragenkatalogen kalibrieren (Entwickler)")
    fit.add_argument("files", nargs="+", metavar="FILE", type=Path, help="Kataloge zum Anpassen (Format von dev.yaml)")
    fit.add_argument("--now", metavar="ISO", help="Zeitpunkt, zu dem geantwortet wird (Standard: jetzt)")
    fit.add_argument("--write", action="store_true", help="Ergebnis in bot/engine/thresholds.py schreiben")
    fit.add_argument(
        "--compare",
        nargs="+",
        metavar="FILE",
        type=Path,
        default=[],
        help="Kataloge, auf denen nicht angepasst wird: alte und neue Gewichte im Vergleich; "
        "mit --write wird nur ein Modell geschrieben, das dort nicht schlechter abschneidet",
    )
    fit.set_defaults(handler=run_fit)


def _share(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"„{text}“ ist kein Anteil zwischen 0 und 1, z. B. 0.9")
    return value


def _now(text: str | None, engine_tz) -> datetime:
    return parse_moment(text, engine_tz) if text is not None else datetime.now(UTC)


def run_check(args: argparse.Namespace) -> int:
    root = Path(args.directory) if args.directory else knowledge_dir(args.knowledge)
    kb, problems = read_knowledge(root)
    if kb is not None:
        problems += collisions(Engine(kb), _now(args.now, kb.call.tz)) + readiness_problems(kb)
    for problem in sorted(problems, key=lambda p: (str(p.location.file), p.location.line or 0)):
        print(problem)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    entries = f"{counted(len(kb.entries), 'Eintrag', 'Einträge')}, " if kb else ""
    if kb and kb.check:
        questions = sum(isinstance(node, CheckQuestion) for node in kb.check.nodes.values())
        ways = sum(1 for _ in kb.check.paths())
        results = len(kb.check.nodes) - questions
        counts = [(questions, "Frage", "Fragen"), (results, "Ergebnis", "Ergebnisse"), (ways, "Weg", "Wege")]
        tree = ", ".join(counted(*count) for count in counts)
        print(f"{root}/check.yaml: {tree}")
    print(f"{root}: {entries}{errors} Fehler, {counted(warnings, 'Warnung', 'Warnungen')}")
    return 1 if errors else 0


def run_eval(args: argparse.Namespace) -> int:
    engine = Engine(load_knowledge(knowledge_dir(args.knowledge)))
    items = load_eval_set(args.file)
    report = evaluate(engine, items, _now(args.now, engine.kb.call.tz))
    print_report(report)
    missed = []
    if args.min_accuracy is not None and report.accuracy < args.min_accuracy:
        missed.append(f"in-scope accuracy {report.accuracy:.3f} < {args.min_accuracy:.3f}")
    if args.max_wrong is not None and report.wrong_rate > args.max_wrong:
        missed.append(f"wrong-answer rate {report.wrong_rate:.3f} > {args.max_wrong:.3f}")
    if missed:
        print(f"foerderbot: Schwelle verfehlt: {'; '.join(missed)}", file=sys.stderr)
        return 1
    return 0


def run_fit(args: argparse.Namespace) -> int:
    engine = Engine(load_knowledge(knowledge_dir(args.knowledge)))
    now = _now(args.now, engine.kb.call.tz)
    items = [item for path in args.files for item in load_eval_set(path)]
    checks = {path: load_eval_set(path) for path in args.compare}  # a broken file stops before the long fit
    fitted = fit(engine, items, now)
    print(fitted_block(fitted))
    worse = bool(checks) and not _compare(checks, engine, Engine(engine.kb, fitted), now)
    if worse and args.write:
        print("foerderbot: nicht geschrieben – das neue Modell schneidet auf den Vergleichssätzen schlechter ab",
              file=sys.stderr)  # fmt: skip
        return 1
    if args.write:
        write_fitted(fitted, Path(thresholds_module.__file__))
        print(f"geschrieben: {thresholds_module.__file__}")
    elif worse:  # --write would refuse: do not promise it
        print("nicht geschrieben: das neue Modell schneidet auf den Vergleichssätzen schlechter ab")
    else:
        print(f"nicht geschrieben: mit --write übernimmt `kb fit` diese Werte in {thresholds_module.__file__}")
    return 0


def _compare(checks: dict[Path, list], current: Engine, fitted: Engine, now: datetime) -> bool:
    """Old and new weights on sets they were not fitted on; True if the new ones do no worse (by
    the fit's own objective: a wrong answer costs four missed ones)."""
    rows, totals = [], [0.0, 0.0]
    for path, items in checks.items():
        reports = [evaluate(current, items, now), evaluate(fitted, items, now)]
        right = [sum(j.succeeded for j in r.judged) for r in reports]
        wrong = [sum(j.wrong for j in r.judged) for r in reports]
        rows.append((path.name, len(items), f"{right[0]} → {right[1]}", f"{wrong[0]} → {wrong[1]}"))
        for side, report in enumerate(reports):
            totals[side] += objective(report)
    print(tabulate(rows, headers=["Vergleichssatz", "Fragen", "richtig", "falsch"], tablefmt="simple"))
    print(f"Ziel der Anpassung (richtig - 4 × falsch …): {totals[0]:.1f} → {totals[1]:.1f}")
    return totals[1] >= totals[0]


def print_report(report: Report) -> None:
    if report.misses:
        print("Verfehlt:")
        for judged in report.misses:
            reply = judged.reply
            got = reply.entry.id if reply.entry else ", ".join(c.entry.id for c in reply.candidates[:2]) or "–"
            print(
                f"  [{reply.outcome.value} {reply.score:.0f}] {judged.item.question}"
                f"  (soll: {'/'.join(sorted(judged.item.topics))}; ist: {got})"
            )
        print()
    for judged in report.mentions_missing:
        print(f"  Fehlende Angabe: {judged.item.question} → {', '.join(judged.missing_mentions)}")
    rows = [(topic, n, good, clarify, wrong) for topic, n, good, clarify, wrong in report.per_topic()]
    print(tabulate(rows, headers=["Thema", "Fragen", "richtig", "Rückfrage", "falsch"], tablefmt="simple"))
    print()
    in_scope, oos = len(report.in_scope), len(report.out_of_scope)
    print(f"Fragen: {len(report.judged)} ({in_scope} im Thema, {oos} außerhalb)")
    print(f"in-scope accuracy: {report.accuracy:.3f}   clarify rate: {report.clarify_rate:.3f}")
    print(f"wrong-answer rate: {report.wrong_rate:.3f}   mentions missing: {len(report.mentions_missing)}")
    print(f"out-of-scope rejection: {report.rejection:.3f}")
    both, two = report.two_questions
    if two:
        print(f"both questions answered: {both}/{two}")
