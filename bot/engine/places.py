"""Which places a message names, and whether they lie in the call's region.

"Wir sitzen in Münster. Dürfen wir uns bewerben?" is answered by the entry on companies, which says
"soweit sie aus der Region kommen" – the applicant still has to know whether Münster does. The
knowledge base lists the region's places and known places outside it (call.yaml `places`); a place
is found however it is written in a chat ("Muenster", "MÜNSTER"). Written in lower case, a name
counts only right after a word that places it ("aus essen", "in datteln"): "essen" is also a verb.
Only answers whose topic depends on origin get the note, so "Gibt es Essen?" is never read as a place.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from bot.engine.lexicon import fold
from bot.engine.normalize import LOCATIVE
from bot.knowledge.model import KnowledgeBase, Places

_TOKEN = re.compile(r"\w+(?:-\w+)*")
_CUES = LOCATIVE | {"from"}
"""Words after which a name is a place, also in English ("a start-up from Essen")."""
_JOINERS = frozenset(["und", "oder", "and", "or", "der", "dem", "den", "the"])
"""Words between places that name nothing themselves ("aus Lünen oder aus dem Kreis Unna")."""


class NamedPlace(NamedTuple):
    name: str
    """As the knowledge base writes it."""
    inside: bool


class PlaceNames:
    """Finds the listed places in a message."""

    def __init__(self, places: Places | None) -> None:
        self._names: dict[tuple[str, ...], NamedPlace] = {}
        if places is None:
            return
        for names, inside in ((places.outside, False), (places.inside, True)):
            for name in names:
                self._names[tuple(fold(token) for token in _TOKEN.findall(name))] = NamedPlace(name, inside)
        self._longest = max((len(key) for key in self._names), default=0)

    def named(self, text: str) -> list[NamedPlace]:
        """The listed places the message names, in order, each once."""
        if not self._names:
            return []
        written = _TOKEN.findall(text)
        tokens = [fold(token) for token in written]
        found: list[NamedPlace] = []
        position = 0
        while position < len(tokens):
            size, place = self._place_at(tokens, position)
            placed = position > 0 and tokens[position - 1] in _CUES
            if place and place not in found and (placed or written[position][0].isupper()):
                found.append(place)
            position += size or 1
        return found

    def only(self, text: str) -> list[NamedPlace]:
        """The places, if the text names nothing else ("Lünen", "aus Lünen oder Selm" if both are
        listed); else none."""
        tokens = [fold(token) for token in _TOKEN.findall(text)]
        found: list[NamedPlace] = []
        position = 0
        while position < len(tokens):
            size, place = self._place_at(tokens, position)
            if place:
                found.append(place)
            elif tokens[position] not in _CUES | _JOINERS:
                return []
            position += size or 1
        return found

    def _place_at(self, tokens: list[str], position: int) -> tuple[int, NamedPlace | None]:
        """The longest listed name starting here ("Haltern am See" before "Haltern")."""
        for size in range(min(self._longest, len(tokens) - position), 0, -1):
            place = self._names.get(tuple(tokens[position : position + size]))
            if place:
                return size, place
        return 0, None


def with_places(kb: KnowledgeBase) -> KnowledgeBase:
    """An entry with a listed place among its keywords takes the whole list ("Gehört Lünen zur
    Region?" finds the entry on places outside that names Dortmund): staff keep one list."""
    places = kb.call.places
    if places is None:
        return kb
    entries = []
    for entry in kb.entries:
        listed = {name.casefold() for name in entry.keywords}
        extra = [
            name
            for names in (places.inside, places.outside)
            if listed & {n.casefold() for n in names}
            for name in names
            if name.casefold() not in listed
        ]
        entries.append(replace(entry, keywords=(*entry.keywords, *extra)) if extra else entry)
    return replace(kb, entries=tuple(entries))
