"""The call's own name, read as the plain word for a call.

"Sind Handwerksbetriebe bei Umbau 21 angesprochen?" asks whether crafts businesses may apply; the
name is only the address. In meaning, though, the name pulls the message towards the entries whose
phrasings carry it (what the call is, who is behind it). So a message that names the call is also
compared with the name read as "Aufruf", and each entry keeps the closer of the two readings:
questions *about* the call still find the entries that carry its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_PARTS = re.compile(r"\s+[–—-]\s+")
"""Between the parts of a full name: "Umbau 21 – Smart Region"."""
_GAP = r"[\s\-–—]*"
"""How people join a name's words: "Umbau 21", "Umbau21", "Smart-Region"."""
PLAIN_WORD = "Aufruf"
"""The plain word, unless the knowledge base's synonyms for the call name another one first."""


class CallName:
    """Finds the call's name (the full one, its parts, the short one) in a message."""

    def __init__(self, names: Iterable[str], synonym_groups: Iterable[Iterable[str]] = ()) -> None:
        variants = {part for name in names for part in (name, *_PARTS.split(name)) if part.strip()}
        patterns = [_GAP.join(map(re.escape, re.findall(r"\w+", v))) for v in variants if re.search(r"\w", v)]
        patterns.sort(key=len, reverse=True)  # the full name before its parts
        # A name joined to the next word by a hyphen is a compound's first part ("Smart-Region-Aufruf").
        self._pattern = re.compile(rf"\b(?:{'|'.join(patterns)})\b(-(?=\w))?", re.IGNORECASE) if patterns else None
        folded = {v.casefold() for v in variants}
        group = next((list(g) for g in synonym_groups if any(w.casefold() in folded for w in g)), [])
        self.plain_word = next((w for w in group if w.casefold() not in folded), PLAIN_WORD)
        self._call_words = {w.casefold() for w in group if w.casefold() not in folded} | {PLAIN_WORD.casefold()}

    def only_an_address(self, text: str) -> bool:
        """The name only says which call, in a compound whose last part is a word for a call
        ("Smart-Region-Aufruf", "Umbau-21-Förderprogramm"); in "diesem Umbau-21-Prozess" it names
        what the question is about."""
        if self._pattern is None:
            return False
        return any(
            match.group(1) and _word_after(text, match.end()).casefold() in self._call_words
            for match in self._pattern.finditer(text)
        )

    def plain(self, text: str) -> str:
        """`text` with the call's name read as the plain word; unchanged if it does not name the call."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: "" if match.group(1) else self.plain_word, text)


def _word_after(text: str, start: int) -> str:
    word = re.match(r"[\w-]*", text[start:]).group(0)
    return word.rsplit("-", 1)[-1]
