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

from bot.engine.spelling import fold_umlauts

_PARTS = re.compile(r"\s+[–—-]\s+")
"""Between the parts of a full name: "Umbau 21 – Smart Region"."""
_GAP = r"[\s\-–—]*"
"""How people join a name's words: "Umbau 21", "Umbau21", "Smart-Region"."""
PLAIN_WORD = "Aufruf"
"""The plain word, unless the knowledge base's synonyms for the call name another one first."""
_INFLECTION = 2
"""Letters a German ending adds to a word for a call ("Aufruf-s", "Programm-e", "Wettbewerb-es")."""
_COMPOUND_REST = re.compile(r"[\w-]*")
"""The rest of a compound after the name and its hyphen ("Aufruf", "Förderprogramms"); its last part counts."""


class CallName:
    """Finds the call's name (the full one, its parts, the short one) in a message."""

    def __init__(self, names: Iterable[str], synonym_groups: Iterable[Iterable[str]] = ()) -> None:
        variants = {part for name in names for part in (name, *_PARTS.split(name)) if part.strip()}
        patterns = [_GAP.join(map(re.escape, re.findall(r"\w+", v))) for v in variants if re.search(r"\w", v)]
        patterns.sort(key=len, reverse=True)  # the full name before its parts
        # A name joined to the next word by a hyphen is a compound's first part ("Smart-Region-Aufruf").
        self._pattern = re.compile(rf"\b(?:{'|'.join(patterns)})\b(-(?=\w))?", re.IGNORECASE) if patterns else None
        folded = {v.casefold() for v in variants}
        groups = [list(g) for g in synonym_groups]
        # the group naming the call, else the one of the plain word: the words for "a call" either way
        group = next((g for g in groups if any(w.casefold() in folded for w in g)), None) or next(
            (g for g in groups if PLAIN_WORD.casefold() in (w.casefold() for w in g)), []
        )
        words = [w for w in group if w.casefold() not in folded]
        self.plain_word = next(iter(words), PLAIN_WORD)
        self._call_words = {_spelled(w) for w in [*words, PLAIN_WORD] if " " not in w}

    def addressed(self, text: str, *, keep_word: bool = True) -> str:
        """`text` without the name where it only says which call: as the first part of a compound
        ending in a word for a call ("für den Smart-Region-Aufruf", "des Umbau-21-Förderprogramms").
        In "diesem Umbau-21-Prozess" it names what the question is about and stays. Without
        `keep_word` the word for the call goes too: what the question asks besides the call."""
        if self._pattern is None:
            return text
        pieces, start = [], 0
        for match in self._pattern.finditer(text):
            word = _COMPOUND_REST.match(text, match.end()).group(0)
            if match.group(1) and self._is_call_word(word.rsplit("-", 1)[-1]):
                pieces.append(text[start : match.start()])
                start = match.end() if keep_word else match.end() + len(word)
        return "".join(pieces) + text[start:]

    def _is_call_word(self, word: str) -> bool:
        """ "Aufruf", "Aufrufs", "Foerderprogramme": a word for a call, inflected or without umlauts."""
        word = _spelled(word)
        return any(word.startswith(call) and len(word) - len(call) <= _INFLECTION for call in self._call_words)

    def plain(self, text: str) -> str:
        """`text` with the call's name read as the plain word; unchanged if it does not name the call."""
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda match: "" if match.group(1) else self.plain_word, text)


def _spelled(word: str) -> str:
    """One spelling for "Förderaufruf", "Foerderaufruf" and "forderaufruf"."""
    return fold_umlauts(word).replace("ae", "a").replace("oe", "o").replace("ue", "u")
