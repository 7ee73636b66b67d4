"""Answers that change over time: variants valid from/until a date, a deadline or an event.

A bot rehearsed for a day before the deadline must not tell what happened after it, and a
bot running today must not invite applications. Each variant names its window; together the
windows of one entry must cover all time exactly once, which `kb check` proves.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from bot.knowledge.model import Boundary, Call, Variant
from bot.knowledge.problems import Problem, Severity

_STEP = timedelta(microseconds=1)


def boundaries(call: Call) -> dict[str, datetime]:
    """Named moments answers may change at: a deadline's first closed moment, an event's start."""
    named = {deadline.id: deadline.ends + _STEP for deadline in call.deadlines}
    named.update({event.id: event.begins for event in call.events})
    return named


def resolve(value: object, call: Call) -> Boundary | str:
    """The boundary a `from:`/`until:` value names, or a message saying why it names none."""
    if isinstance(value, datetime):
        return Boundary(value.isoformat(), value if value.tzinfo else value.replace(tzinfo=call.tz))
    if isinstance(value, date):
        return Boundary(value.isoformat(), datetime.combine(value, time(0), call.tz))
    named = boundaries(call)
    if isinstance(value, str) and value.strip() in named:
        return Boundary(value.strip(), named[value.strip()])
    known = ", ".join(sorted(named)) or "keine"
    return f"„{value}“ ist weder ein Datum (JJJJ-MM-TT) noch eine Frist oder ein Ereignis (call.yaml); bekannt: {known}"


def _name(boundary: Boundary | None, *, start: bool) -> str:
    if boundary is None:
        return "Anfang" if start else "Ende"
    return f"„{boundary.name}“"


def coverage_problems(variants: list[Variant], unread: Collection[Variant] = ()) -> list[Problem]:
    """Gaps (a moment without an answer) and overlaps (a moment with two) between the variants.

    `unread` variants have a `from`/`until` that names nothing known (its own error, or one in
    call.yaml): they are compared with no neighbour – read as open-ended, each would "overlap"."""
    if len(variants) < 2 and all(v.starts is None and v.ends is None for v in variants):
        return []
    problems = []
    ordered = sorted(variants, key=lambda v: v.starts.moment.timestamp() if v.starts else float("-inf"))
    for variant in ordered:
        if variant in unread:
            continue
        if variant.starts and variant.ends and variant.ends.moment <= variant.starts.moment:
            problems.append(
                Problem(Severity.ERROR, variant.location, f"Variante endet ({variant.ends.name}) vor ihrem Beginn")
            )
    first, last = ordered[0], ordered[-1]
    if first.starts is not None:
        message = f"Lücke: vor {_name(first.starts, start=True)} gilt keine Variante (eine ohne „from“ ergänzen)"
        problems.append(Problem(Severity.ERROR, first.location, message))
    if last.ends is not None and not any(v.ends is None for v in ordered):
        message = f"Lücke: ab {_name(last.ends, start=False)} gilt keine Variante (eine ohne „until“ ergänzen)"
        problems.append(Problem(Severity.ERROR, last.location, message))
    for earlier, later in pairwise(ordered):
        if earlier in unread or later in unread:
            continue
        end = earlier.ends.moment if earlier.ends else None
        begin = later.starts.moment if later.starts else None
        if end is not None and begin is not None and end < begin:
            message = (
                f"Lücke: zwischen {_name(earlier.ends, start=False)} und {_name(later.starts, start=True)} "
                f"gilt keine Variante (Zeile {earlier.location.line} und {later.location.line})"
            )
            problems.append(Problem(Severity.ERROR, later.location, message))
        elif end is None or begin is None or end > begin:
            message = (
                f"Überschneidung mit der Variante in Zeile {earlier.location.line}: "
                f"„until“ der einen muss das „from“ der anderen sein"
            )
            problems.append(Problem(Severity.ERROR, later.location, message))
    return problems
