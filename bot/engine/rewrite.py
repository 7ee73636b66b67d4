"""Chat German and English → the words the entries use, from the staff's lexicon.yaml."""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.engine.normalize import words

_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "is",
        "are",
        "was",
        "were",
        "be",
        "can",
        "could",
        "do",
        "does",
        "did",
        "we",
        "i",
        "you",
        "my",
        "our",
        "your",
        "to",
        "for",
        "of",
        "how",
        "what",
        "where",
        "when",
        "who",
        "which",
        "with",
        "and",
        "or",
        "there",
        "any",
        "much",
        "many",
        "need",
        "needs",
        "have",
        "has",
        "get",
        "apply",
        "it",
        "this",
        "that",
        "from",
        "in",
        "on",
        "at",
        "about",
        "into",
        "only",
        "also",
    ]
)
_GERMAN = frozenset(
    [
        "der",
        "die",
        "das",
        "ist",
        "sind",
        "ein",
        "eine",
        "einen",
        "wir",
        "ich",
        "sie",
        "du",
        "mein",
        "unser",
        "für",
        "von",
        "wie",
        "was",
        "wo",
        "wann",
        "wer",
        "mit",
        "und",
        "oder",
        "es",
        "gibt",
        "kann",
        "können",
        "darf",
        "dürfen",
        "muss",
        "müssen",
        "nicht",
        "auch",
        "noch",
        "zum",
        "zur",
        "bei",
        "den",
        "dem",
        "des",
        "im",
        "am",
        "auf",
    ]
)


_NEXT_SENTENCE = re.compile(r"\s*$|\s+[A-ZÄÖÜ]")
"""After an abbreviation's dot: the end of the message, or a capital that may open a new sentence."""


def is_english(text: str) -> bool:
    """English when its function words outnumber German ones ("Can a company apply?")."""
    tokens = words(text)
    english = sum(token in _ENGLISH for token in tokens)
    german = sum(token in _GERMAN for token in tokens)
    return english >= 2 and english > 2 * german


_APOSTROPHES = "'\u2019"
"""A phone's keyboard writes the typographic apostrophe (U+2019): "don\u2019t"."""
_SPELLINGS = {"ä": "(?:ä|ae|a)", "ö": "(?:ö|oe|o)", "ü": "(?:ü|ue|u)", "ss": "(?:ss|ß)", "'": f"[{_APOSTROPHES}]"}


def _spellings(key: str) -> str:
    """The key as a pattern that also accepts the chat spellings of its umlauts, ß and apostrophe."""
    return re.sub("ä|ö|ü|ss|'", lambda letter: _SPELLINGS[letter.group(0)], re.escape(key))


class Rewriter:
    """Replaces written forms by what they mean, word by word, longest phrase first, once."""

    def __init__(self, lexicon: Mapping[str, Mapping[str, str]]) -> None:
        self._german = self._pattern(lexicon.get("umgangssprache", {}))
        self._english = self._pattern(lexicon.get("englisch", {}))

    @staticmethod
    def _pattern(rewrites: Mapping[str, str]) -> tuple[re.Pattern[str], list[tuple[str, str]]] | None:
        """One pattern for all written forms, longest first, each in a group of its own that names
        its replacement. In a chat ß and umlauts are often written "ss", "ae"/"a" …: a key written
        "glück auf" also finds "glueck auf" and "gluck auf"; an apostrophe also the typographic one."""
        if not rewrites:
            return None
        meant = {}
        for written, replacement in rewrites.items():
            meant.setdefault(written.casefold(), replacement)
        ordered = sorted(meant, key=len, reverse=True)  # stable: equal lengths keep the file's order
        alternatives = "|".join(f"(?P<k{i}>{_spellings(key)})" for i, key in enumerate(ordered))
        edge = rf"\w{_APOSTROPHES}-"
        pattern = re.compile(rf"(?<![{edge}])(?:{alternatives})(?![{edge}])", re.IGNORECASE)
        return pattern, [(key, meant[key]) for key in ordered]

    def rewritten(self, text: str, *, english: bool) -> list[tuple[str, str]]:
        """(lexicon key, replacement) for each rewrite `rewrite` would make in `text`."""
        found = self._english if english else self._german
        if found is None:
            return []
        pattern, rewrites = found
        return [rewrites[int(match.lastgroup[1:])] for match in pattern.finditer(text)]

    def rewrite(self, text: str, *, english: bool) -> str:
        found = self._english if english else self._german
        if found is None:
            return text
        pattern, rewrites = found

        def meant(match: re.Match[str]) -> str:
            written = match.group(0)
            replacement = rewrites[int(match.lastgroup[1:])][1]
            # "Wir sind ein e.V. Wann ist die Frist?": the abbreviation's dot also ended the sentence
            ends = written.endswith(".") and _NEXT_SENTENCE.match(text, match.end())
            return f"{replacement}." if ends else replacement

        return pattern.sub(meant, text)
