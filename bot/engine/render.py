"""Fill answer placeholders at answer time, in German, with Babel: dates and time left."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache, lru_cache

from babel.dates import format_date
from babel.lists import format_list
from babel.units import format_unit

from bot.engine import wording
from bot.german import LOCALE
from bot.knowledge import Call, Deadline
from bot.knowledge.placeholders import PLACEHOLDER


@cache
def deadline_date(deadline: Deadline) -> str:
    """ "17. Februar 2017", with the time if the call names one (Babel is slow: formatted once)."""
    text = format_date(deadline.day, format="long", locale=LOCALE)
    return f"{text}, {deadline.at:%H:%M} Uhr" if deadline.at else text


def _days_left(deadline: Deadline, now: datetime) -> int:
    return (deadline.day - now.astimezone(deadline.tz).date()).days


_SPANS = (("duration-year", 366, 732), ("duration-month", 31, 62), ("duration-week", 7, 14), ("duration-day", 1, 0))
"""Unit, its longest length in days (so that it never overstates), from how many days left it is used."""


@lru_cache(maxsize=1024)
def _span(days: int) -> str:
    """Time left, never rounded up – a deadline must not look further off than it is: "11 Tage"
    (Babel's rounding said "2 Wochen"), "4 Wochen", "mehr als 6 Wochen", "mehr als 2 Monate" (a month
    counted as 31 days, a year as 366)."""
    unit, length = next((unit, length) for unit, length, start in _SPANS if days >= start)
    text = format_unit(days // length, unit, length="long", locale=LOCALE)
    return text if days % length == 0 else f"mehr als {text}"


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


def closed_sentence(call: Call, now: datetime) -> str | None:
    """The last deadline's "Die Frist ist am … abgelaufen …" once the call has closed, else None."""
    if now <= call.closes:
        return None
    return deadline_sentence(max(call.deadlines, key=lambda d: d.ends), now)


def places_sentence(region: str, inside: list[str], outside: list[str]) -> str:
    """ "Herten gehört zum Gebiet des Aufrufs (Emscher-Lippe-Region), Essen nicht." """
    first = inside or outside
    template = (
        wording.PLACES_BOTH if inside and outside else wording.PLACES_INSIDE if inside else wording.PLACES_OUTSIDE
    )
    return template.format(
        places=format_list(first, locale=LOCALE),
        inside=format_list(inside, locale=LOCALE),
        outside=format_list(outside, locale=LOCALE),
        belong="gehört" if len(first) == 1 else "gehören",
        region=region,
    )


def contacts_text(call: Call) -> str:
    parts = [f"{c.name} ({c.role})" + (f" – {c.url}" if c.url else "") for c in call.contacts]
    return "; ".join(parts) if parts else call.website


_VALUES: dict[str, Callable[[Call, Deadline, datetime], str]] = {
    "frist_datum": lambda call, deadline, now: deadline_date(deadline),
    "frist_rest": lambda call, deadline, now: time_left(deadline, now),
    "frist_satz": lambda call, deadline, now: deadline_sentence(deadline, now),
    "website": lambda call, deadline, now: call.website,
    "unterlagen": lambda call, deadline, now: call.documents_url,
    "kontakt": lambda call, deadline, now: contacts_text(call),
    "verantwortlich": lambda call, deadline, now: call.responsible,
}


def render(text: str, call: Call, now: datetime) -> str:
    """Replace known placeholders; unknown ones stay visible (kb check warns about them)."""

    def replace(match: re.Match[str]) -> str:
        name, argument = match.group(1), match.group(2)
        deadline = call.deadline_by_id.get(argument) if argument else call.main_deadline
        value = _VALUES.get(name)
        return value(call, deadline, now) if value and deadline else match.group(0)

    return PLACEHOLDER.sub(replace, text).strip()
