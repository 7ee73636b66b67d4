"""A clock that can start at a chosen moment and then runs on, so staff can preview a day."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


class ClockError(ValueError):
    """An unreadable --now value."""


YEARS = range(1900, 3000)
"""Moments a clock may start at: near year 1 or 9999 a running clock leaves what Python can count."""


def parse_moment(text: str, tz: ZoneInfo) -> datetime:
    """ISO-8601 date or date-time; without an offset it is read in the call's time zone."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ClockError(f"„{text}“ ist kein Zeitpunkt nach ISO 8601, z. B. 2017-01-20T10:00:00+01:00") from exc
    if moment.year not in YEARS:
        raise ClockError(f"„{text}“: nur Zeitpunkte von {YEARS.start} bis {YEARS.stop - 1}")
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


class Clock:
    """Real time, or real time shifted so that it read `start` when the clock was made."""

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = (start - datetime.now(UTC)) if start else None

    def now(self) -> datetime:
        current = datetime.now(UTC)
        return current + self._offset if self._offset is not None else current
