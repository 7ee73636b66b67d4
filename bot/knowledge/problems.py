"""Problems found in a knowledge folder, phrased so staff know where and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.german import counted
from bot.knowledge.model import Location


class Severity(StrEnum):
    ERROR = "Fehler"
    WARNING = "Warnung"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge folder cannot be used; carries every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = [p for p in problems if p.severity is Severity.ERROR]
        first = self.problems[0] if self.problems else None
        more = f" (und {counted(len(self.problems) - 1, 'weiterer', 'weitere')})" if len(self.problems) > 1 else ""
        super().__init__(f"{first}{more}" if first else "Wissensbasis fehlerhaft")
