"""Is the decision model's confidence honest? A reliability table and the outcome per eval set.

Run: python benchmarks/reliability.py [--now 2017-01-20T10:00:00+01:00] [--eval ../shared/eval]
Prints figures only, separately for the sets the models were fitted on (dev, messages,
conversations, regression, messages_fit, conversations_fit) and for the holdout sets
(messages_holdout, conversations_holdout, holdout), which no fit has seen.

Confidence of a message: `reply.confidence`, the decision model's probability for the finding
the reply is based on (the most confident question part). "Right" for the table:
- an answer is right when its primary entry's topic is one the label allows (topic or also);
- a clarification or fallback is judged by what the bot would have answered: the top candidate
  of that same most confident finding (as `engine.understand` returns it); a finding without
  candidates is not right.
So an out-of-scope message ("fallback") is never right, and its confidence should be low: a
well calibrated model is right about 8 times in 10 in the bucket 0.8–0.9, whatever it then did.
Conversations are asked turn after turn in one chat, as `evaluate` does.

Last, the operating points: what another answer threshold would do on the sets the threshold may
be chosen on (fit and probe sets) and on the holdout and unseen sets – right and wrong answers to
questions in scope, and how many out-of-scope messages got an answer. Where the threshold sits
is a trade between the two (README: "Wo die Antwortschwelle liegt").
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from bot.config import SHIPPED_KNOWLEDGE
from bot.engine import Engine
from bot.engine.answer import Outcome, clean_question
from bot.engine.decision import reliability
from bot.engine.evaluate import Judged, LabelledQuestion, Report, evaluate, load_eval_set
from bot.engine.memory import ConversationMemory
from bot.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EDGES = [round(0.1 * i, 1) for i in range(11)]
NOW = "2017-01-20T10:00:00+01:00"


def fit_sets(shared: Path) -> list[Path]:
    return [
        shared / "dev.yaml",
        shared / "messages.yaml",
        shared / "conversations.yaml",
        DATA / "regression.yaml",
        DATA / "messages_fit.yaml",
        DATA / "conversations_fit.yaml",
    ]


HOLDOUT_SETS = [DATA / "messages_holdout.yaml", DATA / "conversations_holdout.yaml", DATA / "holdout.yaml"]
READ_UNSEEN = [DATA / "messages_unseen9.yaml", DATA / "messages_unseen10.yaml", DATA / "messages_unseen12.yaml"]
"""Written as unseen sets, measured once, then read (thirteenth and fourteenth round): probe sets since."""
PROBE_SETS = [*sorted(DATA.glob("*_trial*.yaml")), DATA / "traps_fit.yaml", *READ_UNSEEN]
UNSEEN_SETS = [*(p for p in sorted(DATA.glob("*_unseen*.yaml")) if p not in READ_UNSEEN), DATA / "traps_holdout.yaml"]
THRESHOLDS = (0.7, 0.75, 0.8, 0.85, 0.9)


def run(engine: Engine, items: list[LabelledQuestion], now: datetime) -> tuple[Report, list[float], list[bool]]:
    """Each item as the bot would answer it; the reply's confidence and whether its topic is right."""
    memory = ConversationMemory(timedelta(minutes=engine.thresholds.follow_up_minutes))
    judged, confidences, right = [], [], []
    for index, item in enumerate(items):
        chat = item.conversation if item.conversation is not None else f"q{index}"
        question = clean_question(item.question)
        findings, english = engine.understand(question, memory.previous(chat, now))
        reply = engine.decide(question, findings, english, now)
        memory.remember(chat, reply, now)
        judged.append(Judged(item, reply))
        allowed = item.topics | item.also
        if reply.outcome is Outcome.ANSWER:
            topic = reply.entry.topic
        else:
            primary = max(findings, key=lambda f: (f.confidence, not f.follow_up), default=None)
            topic = primary.entries[0].topic if primary and primary.entries else None
        confidences.append(reply.confidence)
        right.append(topic in allowed)
    return Report(judged), confidences, right


def percent(share: float) -> str:
    return f"{share:6.1%}"


def report_group(label: str, engine: Engine, paths: list[Path], now: datetime) -> None:
    confidences, right = [], []
    print(f"\n{label}")
    columns = f"{'items':>5} {'accuracy':>9} {'wrong':>7} {'clarify':>8} {'rejected':>14} {'both answered':>14}"
    print(f"  {'set':24} {columns}")
    for path in paths:
        if not path.exists():
            print(f"  {path.name:24} missing")
            continue
        report, conf, hits = run(engine, load_eval_set(path), now)
        confidences += conf
        right += hits
        out = report.out_of_scope
        rejected = sum(j.reply.outcome is Outcome.FALLBACK for j in out)
        both, two = report.two_questions
        print(
            f"  {path.stem:24} {len(report.judged):5} {percent(report.accuracy):>9} {percent(report.wrong_rate):>7}"
            f" {percent(report.clarify_rate):>8} {f'{rejected}/{len(out)}':>6} {percent(report.rejection):>7}"
            f" {f'{both}/{two}':>14}"
        )
    print(f"  reliability over {len(confidences)} messages: confidence bucket → count, share right")
    for bucket, count, share in reliability(confidences, right, EDGES):
        print(f"    {bucket}  {count:5}  {'   –' if count == 0 else percent(share)}")


def operating_points(engine: Engine, groups: dict[str, list[Path]], now: datetime) -> None:
    """Each group judged again at other answer thresholds; everything else as shipped."""
    print("\noperating points: answer threshold → in scope answered right / wrong (of n), out of scope answered")
    shipped = engine.thresholds
    try:
        for threshold in THRESHOLDS:
            engine.thresholds = replace(shipped, answer=threshold)
            engine.forget_recent(embeddings=False)  # a kept reading depends on the threshold
            cells = []
            for label, paths in groups.items():
                reports = [evaluate(engine, load_eval_set(path), now) for path in paths if path.exists()]
                inside = [j for report in reports for j in report.in_scope]
                outside = [j for report in reports for j in report.out_of_scope]
                right, wrong = sum(j.correct for j in inside), sum(j.wrong for j in inside)
                answered = sum(j.reply.outcome is Outcome.ANSWER for j in outside)
                cells.append(f"{label} {right}/{wrong} of {len(inside)}, {answered}/{len(outside)}")
            mark = "  (shipped)" if threshold == shipped.answer else ""
            print(f"  {threshold:.2f}  " + "  ·  ".join(cells) + mark)
    finally:
        engine.thresholds = shipped
        engine.forget_recent(embeddings=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--now", type=datetime.fromisoformat, default=datetime.fromisoformat(NOW))
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval", help="holds dev/messages.yaml")
    args = parser.parse_args()
    engine = Engine(load_knowledge(SHIPPED_KNOWLEDGE))
    print(f"clock {args.now.isoformat()}; accuracy over in-scope items, wrong over all, rejected = out of scope")
    report_group("fit sets (the models were fitted on these)", engine, fit_sets(args.eval), args.now)
    report_group("holdout sets (never seen by a fit)", engine, HOLDOUT_SETS, args.now)
    groups = {"fit+probe": [*fit_sets(args.eval), *PROBE_SETS], "holdout+unseen": [*HOLDOUT_SETS, *UNSEEN_SETS]}
    operating_points(engine, groups, args.now)


if __name__ == "__main__":
    main()
