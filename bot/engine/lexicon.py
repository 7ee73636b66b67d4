"""German word lists: stopwords (stop-words), month names (Babel) and nouns (from Wiktionary via
german-nouns, vendored)."""

from __future__ import annotations

import lzma
from functools import lru_cache
from pathlib import Path

from babel.dates import get_month_names
from stop_words import get_stop_words

from bot.engine.spelling import fold, transliterate
from bot.german import LOCALE

# Fillers the stop-word list lacks; like stopwords, they say nothing about the topic.
FILLERS = frozenset(
    {
        "ab", "bitte", "mal", "schon", "gibt", "gibts", "geht", "eigentlich", "genau", "gern", "gerne",
        "ok", "okay", "überhaupt", "bereits", "eben", "halt", "wohl", "etwa", "jemand", "irgendwie",
        "bzw", "usw", "ca", "grundsätzlich", "prinzipiell", "generell", "tatsächlich", "wirklich",
        "vielleicht", "eventuell", "evtl", "ungefähr", "theoretisch", "zufällig", "konkret", "ehrlich",
        "übrigens", "sowieso", "allerdings", "jedenfalls", "vermutlich", "wahrscheinlich", "natürlich",
        "außerdem", "zusätzlich", "ebenfalls", "nochmal", "nochmals", "womöglich", "quasi",
        "eher", "echt", "nämlich", "dafür", "davon", "darauf", "darin", "darüber",
        "daran", "hinein", "heraus", "herum", "her", "einfach", "irgendwo", "irgendwann", "irgendwas",
        "bloß", "ruhig", "damals", "sozusagen", "total", "gerade", "sowas", "ey",
        "bisschen", "ziemlich",
    }
)  # fmt: skip
MONTHS = frozenset(
    spelling
    for width in ("wide", "abbreviated")
    for context in ("format", "stand-alone")
    for name in get_month_names(width, context, locale=LOCALE).values()
    for spelling in (name.casefold().rstrip("."), transliterate(name.casefold().rstrip(".")))
)
"""Month names, written out and abbreviated, also without umlauts ("März", "Mär", "Maerz"): a month
says when, not what about ("Ist die Frist im Februar?")."""


def stopwords() -> list[str]:
    return [*get_stop_words("german"), *FILLERS, *MONTHS]


_MIN_HEAD_NOUN = 5
NOUNS_FILE = Path(__file__).parent / "data" / "nouns.txt.xz"
"""Folded forms of ~100,000 German nouns; CC BY-SA 4.0, see data/NOUNS-LICENSE.md."""


@lru_cache(maxsize=1)
def nouns() -> frozenset[str]:
    """Every inflected form of ~100,000 German nouns, folded: one set, built once per process.

    The list is vendored (scripts/update_nouns.py rebuilds it from german-nouns), so the bot
    does not install that package's Wiktionary parser and its dependencies.
    """
    return frozenset(lzma.decompress(NOUNS_FILE.read_bytes()).decode("utf-8").split("\n"))


def is_noun(word: str, known_nouns: frozenset[str]) -> bool:
    """A listed noun, or a compound ending in one ("Bewohnerparkausweis" → "Ausweis")."""
    folded = fold(word)
    if folded in known_nouns:
        return True
    return len(folded) >= 2 * _MIN_HEAD_NOUN and any(
        folded[cut:] in known_nouns for cut in range(3, len(folded) - _MIN_HEAD_NOUN + 1)
    )
