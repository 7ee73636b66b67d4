"""What operators learn from the query log: totals, rates, entries, feedback, the unanswered."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import aiosqlite

from bot.domain import EventKind, Outcome
from bot.knowledge import Call
from bot.store.clusters import Cluster, Unanswered, WordGap, cluster, word_gaps
from bot.store.times import utc_iso

OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)
URGENT_DAYS = 30
"""While the call is open, a question asked this many days or fewer before the deadline weighs more."""
NEAR_ENTRY = 30.0
"""A fallback whose best candidate scored this much (0–100) counts as near that entry; below,
naming an entry would suggest filing "Wann muss ich die Grundsteuer zahlen?" under eligible costs."""


@dataclass(frozen=True)
class Period:
    """From the start of `since` to the end of `until`, both in the call's time zone; open ends allowed."""

    since: date | None
    until: date | None

    def bounds(self, call: Call) -> tuple[str, str]:
        low = datetime.combine(self.since, time(0), call.tz) if self.since else datetime(1970, 1, 1, tzinfo=UTC)
        high = (
            datetime.combine(self.until + timedelta(days=1), time(0), call.tz)
            if self.until
            else datetime(9999, 1, 1, tzinfo=UTC)
        )
        return utc_iso(low), utc_iso(high)


@dataclass
class Report:
    total: int
    outcomes: dict[str, int]
    feedback: dict[str, int]
    per_day: list[dict]
    entries: list[dict]
    unanswered: list[Cluster]
    """Real gaps: questions that touch the knowledge base, or whose answer got a 👎."""
    noise: list[Cluster] = field(default_factory=list)
    """Fallbacks without a single word the knowledge base knows ("asdf jklö", "Weihnachtsmarkt")."""
    check_per_day: list[dict] = field(default_factory=list)
    """Results reached in the eligibility check: {date, result, count}, by day then result."""
    unknown_words: list[WordGap] = field(default_factory=list)
    """Words of the unanswered questions (fallbacks and 👎, not the noise) that no entry uses: for the lexicon."""

    @property
    def check_results(self) -> dict[str, int]:
        """Results reached in the eligibility check in the period, most frequent first."""
        totals: Counter = Counter()
        for row in self.check_per_day:
            totals[row["result"]] += row["count"]
        return dict(sorted(totals.items(), key=lambda item: (-item[1], item[0])))

    def rate(self, outcome: str) -> float:
        return self.outcomes[outcome] / self.total if self.total else 0.0

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "outcomes": self.outcomes,
            "rates": {outcome: round(self.rate(outcome), 4) for outcome in OUTCOMES},
            "feedback": self.feedback,
            "per_day": self.per_day,
            "entries": self.entries,
            "unanswered": [
                {
                    "count": c.count,
                    "weight": round(c.weight, 2),
                    "examples": c.examples,
                    "closest_entry": c.closest_entry,
                    "disliked": c.disliked,
                }
                for c in self.unanswered
            ],
            "check_results": {
                "total": sum(self.check_results.values()),
                "results": self.check_results,
                "per_day": self.check_per_day,
            },
            "noise": [{"count": c.count, "examples": c.examples} for c in self.noise],
            "unknown_words": [{"word": w.word, "count": w.count, "examples": w.examples} for w in self.unknown_words],
        }


async def outcome_counts(connection: aiosqlite.Connection, call: Call, period: Period) -> dict[str, int]:
    """Questions per outcome in the period: cheap enough for a chat command."""
    low, high = period.bounds(call)
    query = "SELECT outcome, count(*) FROM questions WHERE asked_at >= ? AND asked_at < ? GROUP BY outcome"
    counts = dict.fromkeys(OUTCOMES, 0)
    async with connection.execute(query, (low, high)) as cursor:
        async for outcome, count in cursor:
            counts[outcome] = count
    return counts


async def build_report(
    connection: aiosqlite.Connection,
    call: Call,
    period: Period,
    now: datetime,
    unknown_words: Callable[[str], list[str]] | None = None,
) -> Report:
    """`unknown_words` names the words of a question the knowledge base does not know (the engine's
    vocabulary; the store does not read the knowledge base itself); without it the list stays empty."""
    low, high = period.bounds(call)
    questions = await _unanswered(connection, call, low, high, now)
    days: dict[str, Counter] = defaultdict(Counter)
    asked: Counter = Counter()
    outcomes: Counter = Counter()
    query = "SELECT asked_at, outcome, entry, also_entry FROM questions WHERE asked_at >= ? AND asked_at < ?"
    async with connection.execute(query, (low, high)) as cursor:
        async for asked_at, outcome, *answered in cursor:
            day = datetime.fromisoformat(asked_at).astimezone(call.tz).date().isoformat()
            days[day][outcome] += 1
            outcomes[outcome] += 1
            asked.update(entry for entry in answered if entry)  # a second answer counts for its entry too
    votes: dict[str, Counter] = defaultdict(Counter)
    query = (
        "SELECT e.entry, e.kind, count(*) FROM events e JOIN questions q ON q.ref = e.question_ref"
        " WHERE q.asked_at >= ? AND q.asked_at < ? AND e.kind IN ('up', 'down') GROUP BY e.entry, e.kind"
    )
    async with connection.execute(query, (low, high)) as cursor:
        async for entry, kind, count in cursor:
            votes[entry][kind] += count
    per_day = [
        {"date": day, "total": sum(counts.values()), **{o: counts[o] for o in OUTCOMES}}
        for day, counts in sorted(days.items())
    ]
    names = sorted(set(asked) | set(votes), key=lambda e: (-asked[e], e))
    up, down = EventKind.UP, EventKind.DOWN
    entries = [{"entry": e, "count": asked[e], up: votes[e][up], down: votes[e][down]} for e in names]
    return Report(
        total=sum(outcomes.values()),
        outcomes={o: outcomes[o] for o in OUTCOMES},
        feedback={kind: sum(v[kind] for v in votes.values()) for kind in (up, down)},
        per_day=per_day,
        entries=entries,
        unanswered=cluster([q for q in questions if not q.noise]),
        noise=cluster([q for q in questions if q.noise]),
        check_per_day=await check_counts(connection, period),
        unknown_words=word_gaps((q.text for q in questions if not q.noise), unknown_words) if unknown_words else [],
    )


async def check_counts(connection: aiosqlite.Connection, period: Period) -> list[dict]:
    """Eligibility-check results per day; days are already the call's, so the period compares directly."""
    low = period.since.isoformat() if period.since else "0000-00-00"
    high = period.until.isoformat() if period.until else "9999-99-99"
    query = "SELECT day, result, count FROM check_results WHERE day >= ? AND day <= ? ORDER BY day, result"
    async with connection.execute(query, (low, high)) as cursor:
        return [{"date": day, "result": result, "count": count} async for day, result, count in cursor]


async def _unanswered(connection: aiosqlite.Connection, call: Call, low: str, high: str, now: datetime):
    """Fallbacks and 👎 answers, each weighted by urgency while the call is still open."""
    query = (
        "SELECT q.text, q.candidates, q.asked_at, (SELECT e.entry FROM events e WHERE e.question_ref = q.ref"
        " AND e.kind = 'down' ORDER BY e.id DESC LIMIT 1) AS disliked"
        " FROM questions q WHERE q.asked_at >= ? AND q.asked_at < ?"
        " AND (q.outcome = 'fallback' OR disliked IS NOT NULL)"
    )  # the entry of the 👎 answer: in a reply with two answers, it may be the second
    open_call = now <= call.closes
    found = []
    async with connection.execute(query, (low, high)) as cursor:
        async for text, candidates, asked_at, entry in cursor:
            ranked = json.loads(candidates)
            near = ranked[0]["entry"] if ranked and ranked[0]["score"] >= NEAR_ENTRY else None
            closest = entry or near
            weight = 1.0
            if open_call:
                days_left = (call.closes - datetime.fromisoformat(asked_at)).days
                weight += max(0.0, 1 - days_left / URGENT_DAYS) if days_left >= 0 else 0.0
            found.append(Unanswered(text, closest, weight, noise=not entry and not ranked, disliked=entry is not None))
    return found


CSV_COLUMNS = (
    "asked_at",
    "chat_type",
    "language",
    "text",
    "outcome",
    "entry",
    "score",
    "kb_version",
    "feedback",
    "choice",
    "votes",
    "also_entry",
)


async def csv_rows(connection: aiosqlite.Connection, call: Call, period: Period):
    """One row per logged question (no user key: operators need the questions, not the people)."""
    low, high = period.bounds(call)
    query = (
        "SELECT q.asked_at, q.chat_type, q.language, q.text, q.outcome, q.entry, q.score, q.kb_version,"
        " (SELECT kind FROM events e WHERE e.question_ref = q.ref AND e.kind IN ('up', 'down')"
        "  ORDER BY e.id DESC LIMIT 1),"
        " (SELECT entry FROM events e WHERE e.question_ref = q.ref AND e.kind = 'choice'"
        "  ORDER BY e.id DESC LIMIT 1),"
        " (SELECT group_concat(entry || ':' || kind, ' ') FROM (SELECT entry, kind FROM events e"
        "  WHERE e.question_ref = q.ref AND e.kind IN ('up', 'down') ORDER BY e.id)),"
        " q.also_entry"
        " FROM questions q WHERE q.asked_at >= ? AND q.asked_at < ? ORDER BY q.asked_at, q.id"
    )
    async with connection.execute(query, (low, high)) as cursor:
        async for row in cursor:
            yield row
