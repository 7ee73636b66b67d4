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
from collections.abc import Iterator
from dataclasses import replace
from typing import NamedTuple

from bot.engine.lexicon import fold
from bot.engine.normalize import LOCATIVE
from bot.knowledge.model import KnowledgeBase, Places

_TOKEN = re.compile(r"\w+(?:-\w+)*")
_CUES = LOCATIVE | {"from"}
"""Words after which a name is a place, also in English ("a start-up from Essen")."""
_OFFICES = ("regierung", "bezirk")
"""A place after these words is an authority's seat: "Bezirksregierung Münster", "Regierungsbezirk Münster"."""
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
            keys = {name: tuple(fold(token) for token in _TOKEN.findall(name)) for name in names}
            for name, key in keys.items():
                # "Haltern" beside "Haltern am See" is that place, named short
                full = next(
                    (other for other, more in keys.items() if len(more) > len(key) == 1 and more[0] == key[0]), name
                )
                self._names[key] = NamedPlace(full, inside)
        self._longest = max((len(key) for key in self._names), default=0)

    def named(self, text: str) -> list[NamedPlace]:
        """The listed places the message names, in order, each once."""
        found = [place for _, place in self._scan(text) if place]
        return list(dict.fromkeys(found))

    def only(self, text: str) -> list[NamedPlace]:
        """The places, if the text names nothing else ("Lünen", "aus Lünen oder Dortmund"); else none."""
        scanned = list(self._scan(text))
        if any(place is None and token not in _CUES | _JOINERS for token, place in scanned):
            return []
        return list(dict.fromkeys(place for _, place in scanned if place))

    def _scan(self, text: str) -> Iterator[tuple[str, NamedPlace | None]]:
        """Each word, or each listed name of several words, with the place it names if it is meant as
        one: capitalised ("Lünen"), or right after a word that places it ("aus lünen") – but not the
        seat of an office ("Bezirksregierung Münster" names an authority, not where the writer is)."""
        if not self._names:
            return
        written = _TOKEN.findall(text)
        tokens = [fold(token) for token in written]
        position = 0
        while position < len(tokens):
            size, place = self._place_at(tokens, position)
            before = tokens[position - 1] if position else ""
            meant = before in _CUES or (written[position][0].isupper() and not before.endswith(_OFFICES))
            yield tokens[position], place if place and meant else None
            position += size or 1

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
