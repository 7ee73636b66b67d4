"""How the database writes a moment: one format for every table, so text order is time order."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_iso(moment: datetime) -> str:
    """UTC, to the second ("2017-01-20T09:00:00+00:00"); a time in another zone is converted first."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
