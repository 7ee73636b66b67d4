"""What a knowledge folder needs before a bot goes live with it, beyond being valid.

The privacy notice (/datenschutz) names whoever is `responsible` in call.yaml. The shipped folder
holds a placeholder there, because only the operator knows who runs their bot; a notice that
names no one to reach does not meet Art. 13 DSGVO. `kb check` says so (a warning: the bot still
runs, e.g. for trying it out).
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.model import KnowledgeBase, Location
from bot.knowledge.problems import Problem, Severity
from bot.knowledge.yamlsource import LocatedDict, YamlProblem, load_yaml
from bot.personal import masked

_POSTCODE_OR_WEB = re.compile(r"\b\d{5}\b|https?://|\bwww\.", re.IGNORECASE)

UNREACHABLE = (
    "„responsible“ nennt keine Kontaktdaten: /datenschutz muss sagen, wer verantwortlich ist und wie man "
    "ihn erreicht (Name mit Anschrift oder E-Mail, Art. 13 DSGVO) – vor dem Start ausfüllen"
)


def reachable(responsible: str) -> bool:
    """Names an address, an e-mail address, a phone number or a website."""
    return masked(responsible) != responsible or bool(_POSTCODE_OR_WEB.search(responsible))


def readiness_problems(kb: KnowledgeBase) -> list[Problem]:
    if reachable(kb.call.responsible):
        return []
    path = kb.root / "call.yaml"
    return [Problem(Severity.WARNING, Location(path, _line_of(path, "responsible")), UNREACHABLE)]


def _line_of(path: Path, key: str) -> int | None:
    try:
        data = load_yaml(path)
    except (OSError, YamlProblem):
        return None
    return data.line_of(key) if isinstance(data, LocatedDict) else None
