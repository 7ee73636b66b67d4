"""How the bot writes numbers and plurals in German, for every layer: Babel's CLDR rules.

Shared (it imports no layer): the knowledge checks count Formulierungen as the Telegram replies
count Fragen, and nobody writes "1 Fragen" by hand.
"""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal

LOCALE = "de_DE"
_PLURAL = Locale.parse(LOCALE).plural_form


def counted(number: int, one: str, other: str) -> str:
    """ "1 Frage", "2 Fragen", "1.500 Fragen": German number and plural by Babel's CLDR rules."""
    noun = one if _PLURAL(number) == "one" else other
    return f"{format_decimal(number, locale=LOCALE)} {noun}"
