"""The placeholders staff may write in answers; the engine renders them at answer time."""

from __future__ import annotations

import re

# {name} or {name:deadline-id}; anything else in braces is left as it is.
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?::([A-Za-z0-9_-]+))?\}")

PLACEHOLDERS: dict[str, str] = {
    "frist_datum": "Datum der Frist, z. B. „17. Februar 2017“",
    "frist_rest": "verbleibende Zeit, z. B. „noch 4 Wochen“, „nur noch heute“ oder „abgelaufen“",
    "frist_satz": "ganzer Satz zur Frist: Countdown vorher, „abgelaufen“ danach",
    "website": "Website des Aufrufs",
    "unterlagen": "Adresse der offiziellen Unterlagen",
    "kontakt": "die beteiligten Stellen aus call.yaml (contacts)",
    "verantwortlich": "wer für den Bot verantwortlich ist (responsible in call.yaml)",
}

# Placeholders that may name a deadline after a colon.
DEADLINE_PLACEHOLDERS = frozenset({"frist_datum", "frist_rest", "frist_satz"})
