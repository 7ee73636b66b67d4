"""Fill answer placeholders at answer time, in German, with Babel: dates and time left."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache, lru_cache

from babel.dates import format_date, format_timedelta

from bot.knowledge import Call, Deadline
from bot.knowledge.placeholders import PLACEHOLDER

LOCALE = "de_DE"


@cache
def deadline_date(deadline: Deadline) -> str:
    """ "17. Februar 2017", with the time if the call names one (Babel is slow: formatted once)."""
    text = format_date(deadline.day, format="long", locale=LOCALE)
    return f"{text}, {deadline.at:%H:%M} Uhr" if deadline.at else text


def _days_left(deadline: Deadline, now: datetime) -> int:
    return (deadline.day - now.astimezone(deadline.tz).date()).days


@lru_cache(maxsize=1024)
def _span(days: int) -> str:
    return format_timedelta(timedelta(days=days), granularity="day", threshold=1.5, locale=LOCALE)


def time_left(deadline: Deadline, now: datetime) -> str:
    """ "noch 4 Wochen", "nur noch heute" or "abgelaufen"."""
    if now > deadline.ends:
        return "abgelaufen"
    days = _days_left(deadline, now)
    return "nur noch heute" if days <= 0 else f"noch {_span(days)}"


def deadline_sentence(deadline: Deadline, now: datetime) -> str:
    """A countdown before the deadline, a clear "abgelaufen" after it – never an invitation then."""
    when = deadline_date(deadline)
    if now > deadline.ends:
        return f"Die Frist ist am {when} abgelaufen; Bewerbungen sind nicht mehr möglich."
    days = _days_left(deadline, now)
    if days <= 0:
        return f"Die Frist endet heute, am {when}."
    if days == 1:
        return f"Die Frist endet morgen, am {when}."
    return f"Die Frist endet am {when} – Sie haben noch {_span(days)} Zeit."


def contacts_text(call: Call) -> str:
    parts = [f"{c.name} ({c.role})" + (f" – {c.url}" if c.url else "") for c in call.contacts]
    return "; ".join(parts) if parts else call.website


def render(text: str, call: Call, now: datetime) -> str:
    """Replace known placeholders; unknown ones stay visible (kb check warns about them)."""
    deadlines = {d.id: d for d in call.deadlines}

    def replace(match) -> str:
        name, argument = match.group(1), match.group(2)
        deadline = deadlines.get(argument) if argument else call.main_deadline
        if deadline is None:
            return match.group(0)
        values = {
            "frist_datum": lambda: deadline_date(deadline),
            "frist_rest": lambda: time_left(deadline, now),
            "frist_satz": lambda: deadline_sentence(deadline, now),
            "website": lambda: call.website,
            "unterlagen": lambda: call.documents_url,
            "kontakt": lambda: contacts_text(call),
            "verantwortlich": lambda: call.responsible,
        }
        value = values.get(name)
        return value() if value else match.group(0)

    return PLACEHOLDER.sub(replace, text).strip()
