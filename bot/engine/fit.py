"""Fit the decision model on labelled sets: `foerderbot kb fit` (README: "Die Entscheidung kalibrieren").

Every candidate entry of every question part becomes one row (its signals) with the label
"its topic is allowed for this message". A logistic regression learns the weights; then the
thresholds (answer, clarify, margin, sure, second) are chosen by a grid search that counts a
wrong answer three times as bad as a missed one.
"""

from __future__ import annotations

import itertools
import pprint
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from bot.engine.answer import Engine, Finding
from bot.engine.decision import Weights, fit_logistic
from bot.engine.evaluate import Judged, LabelledQuestion, Report
from bot.engine.memory import ConversationMemory
from bot.engine.thresholds import Thresholds

WRONG_COST = 2.0
TOP_CANDIDATES = 3
GRID = {
    "answer": (0.35, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8),
    "clarify": (0.2, 0.3, 0.4, 0.5, 0.6),
    "margin": (0.0, 0.05, 0.1, 0.2),
    "sure": (0.8, 0.9, 0.95),
    "second": (0.5, 0.6, 0.7, 0.8, 0.9),
}


@dataclass(frozen=True)
class Case:
    item: LabelledQuestion
    findings: list[Finding]
    english: bool


def collect(engine: Engine, items: list[LabelledQuestion], now: datetime) -> list[Case]:
    """Each item understood as the bot would (conversations turn after turn)."""
    memory = ConversationMemory(timedelta(minutes=engine.thresholds.follow_up_minutes))
    cases = []
    for index, item in enumerate(items):
        chat = item.conversation if item.conversation is not None else f"q{index}"
        findings, english = engine.understand(item.question, memory.previous(chat, now))
        cases.append(Case(item, findings, english))
        memory.remember(chat, engine.decide(item.question, findings, english, now), now)
    return cases


def rescored(finding: Finding, weights: Weights) -> Finding:
    if not finding.entries:
        return finding
    probabilities = weights.probability(finding.features)
    order = np.argsort(-probabilities)
    return replace(
        finding,
        entries=tuple(finding.entries[i] for i in order),
        probabilities=tuple(float(probabilities[i]) for i in order),
        features=finding.features[order],
    )


def fit_weights(cases: list[Case], rounds: int = 3) -> Weights:
    """Fitted on the few candidates that compete for the top, where the decision is made:
    the many obvious misfits would otherwise teach the model little but "not these"."""
    weights = fit_logistic(*_rows(cases, None))
    for _ in range(rounds - 1):
        weights = fit_logistic(*_rows(cases, weights))
    return weights


def _rows(cases: list[Case], weights: Weights | None) -> tuple[np.ndarray, np.ndarray]:
    rows, labels = [], []
    for case in cases:
        allowed = case.item.topics | case.item.also
        for finding in case.findings:
            top = rescored(finding, weights) if weights else finding
            keep = slice(0, TOP_CANDIDATES if weights else None)
            rows.append(top.features[keep])
            labels.extend(entry.topic in allowed for entry in top.entries[keep])
    return np.vstack(rows), np.array(labels, dtype=float)


def judge(engine: Engine, cases: list[Case], now: datetime) -> Report:
    return Report([Judged(c.item, engine.decide(c.item.question, c.findings, c.english, now)) for c in cases])


def objective(report: Report) -> float:
    wrong = sum(j.wrong for j in report.judged)
    both = report.two_questions[0]
    return sum(j.succeeded for j in report.judged) + 0.5 * both - WRONG_COST * wrong


def fit(engine: Engine, items: list[LabelledQuestion], now: datetime) -> Thresholds:
    """Weights from the items, then the thresholds that serve them best."""
    cases = collect(engine, items, now)
    weights = fit_weights(cases)
    cases = [replace(c, findings=[rescored(f, weights) for f in c.findings]) for c in cases]
    original = engine.thresholds
    best, best_value = original, float("-inf")
    try:
        for values in itertools.product(*GRID.values()):
            candidate = replace(original, weights=weights, **dict(zip(GRID, values, strict=True)))
            if candidate.clarify > candidate.answer or candidate.sure < candidate.answer:
                continue
            engine.thresholds = candidate
            value = objective(judge(engine, cases, now))
            if value > best_value:
                best, best_value = candidate, value
    finally:
        engine.thresholds = original
    return best


def fitted_block(thresholds: Thresholds) -> str:
    """The `FITTED = {…}` block of thresholds.py for these thresholds."""
    values = {
        "intercept": round(thresholds.weights.intercept, 4),
        "coefficients": {k: round(v, 4) for k, v in thresholds.weights.coefficients.items()},
        **{name: getattr(thresholds, name) for name in GRID},
    }
    body = pprint.pformat(values, width=110, sort_dicts=False)
    return f"FITTED = {body}  # written by `foerderbot kb fit`: do not edit by hand"


_BLOCK = re.compile(r"^FITTED = \{.*?\}  # written by `foerderbot kb fit`: do not edit by hand$", re.S | re.M)


def write_fitted(thresholds: Thresholds, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(_BLOCK.sub(lambda _: fitted_block(thresholds), text, count=1), encoding="utf-8")
