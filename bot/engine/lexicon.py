"""German word lists from libraries: stopwords (stop-words) and nouns (german-nouns, Wiktionary)."""

from __future__ import annotations

from functools import lru_cache

from german_nouns.config import PACKAGE_PATH
from stop_words import get_stop_words

# Fillers the stop-word list lacks; like stopwords, they say nothing about the topic.
FILLERS = frozenset(
    {
        "ab", "bitte", "mal", "schon", "gibt", "gibts", "geht", "eigentlich", "genau", "gern", "gerne",
        "ok", "okay", "überhaupt", "bereits", "eben", "halt", "wohl", "etwa", "jemand", "irgendwie",
        "bzw", "usw", "ca",
    }
)  # fmt: skip


def stopwords() -> list[str]:
    return [*get_stop_words("german"), *FILLERS]


_SPELLINGS = (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ae", "a"), ("oe", "o"), ("ue", "u"), ("ß", "ss"))
_MIN_HEAD_NOUN = 5


def fold(word: str) -> str:
    """One spelling for "Förderung", "Foerderung" and "Forderung", for look-ups only."""
    word = word.casefold()
    for written, folded in _SPELLINGS:
        word = word.replace(written, folded)
    return word


@lru_cache(maxsize=1)
def nouns() -> frozenset[str]:
    """Every inflected form of ~100,000 German nouns, folded.

    Read from the package's own index (word, tab, rows) rather than its 20 MB CSV: one set,
    built once per process in a few tenths of a second.
    """
    with PACKAGE_PATH.joinpath("index.txt").open(encoding="utf-8") as index:
        return frozenset(fold(line.split("\t", 1)[0]) for line in index if not line.startswith("-"))


def is_noun(word: str, known_nouns: frozenset[str]) -> bool:
    """A listed noun, or a compound ending in one ("Bewohnerparkausweis" → "Ausweis")."""
    folded = fold(word)
    if folded in known_nouns:
        return True
    return len(folded) >= 2 * _MIN_HEAD_NOUN and any(
        folded[cut:] in known_nouns for cut in range(3, len(folded) - _MIN_HEAD_NOUN + 1)
    )
