"""One way to fold German spelling, in the strengths the bot needs.

All start from `fold_case` (casefold, which also writes ß as "ss"); each stronger one builds on
the weaker, so the folds cannot drift apart:

- `fold_umlauts`: ä/ö/ü as a/o/u. Typo correction compares written words by edit distance:
  "Forderung" is one edit from "Förderung", but folding ae/oe/ue too would shorten words and
  move those distances.
- `fold`: also ae/oe/ue as a/o/u, so "Förderung", "Foerderung" and "Forderung" meet. Lossy
  ("Mauer" → "maur"), hence for look-ups only: the noun list (built with it, see
  scripts/update_nouns.py) and grouping similar questions.
- `transliterate`: ä/ö/ü as ae/oe/ue, readable ASCII for identifiers (bot/cli/suggest.py).
"""

from __future__ import annotations

_UMLAUTS = str.maketrans("äöü", "aou")
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def fold_case(text: str) -> str:
    """ "Straße" → "strasse": casefold writes ß (and ẞ) as "ss"."""
    return text.casefold()


def fold_umlauts(text: str) -> str:
    """ "Förderung" → "forderung"."""
    return fold_case(text).translate(_UMLAUTS)


def fold(text: str) -> str:
    """One spelling for "Förderung", "Foerderung" and "Forderung", for look-ups only."""
    text = fold_umlauts(text)
    for written, folded in _DIGRAPHS:
        text = text.replace(written, folded)
    return text


def transliterate(text: str) -> str:
    """ "Übergröße" → "uebergroesse"."""
    return fold_case(text).translate(_ASCII)
