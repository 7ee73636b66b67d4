"""How the bot writes numbers, plurals, shares and days in German, for every layer: Babel's CLDR rules.

Shared (it imports no layer): the knowledge checks count Formulierungen as the Telegram replies
count Fragen, /stats writes a share as the report does ("58 %"), and nobody writes "1 Fragen" by hand.
"""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALE = "de_DE"
_PLURAL = Locale.parse(LOCALE).plural_form


def counted(number: int, one: str, other: str) -> str:
    """ "1 Frage", "2 Fragen", "1.500 Fragen": German number and plural by Babel's CLDR rules."""
    noun = one if _PLURAL(number) == "one" else other
    return f"{format_decimal(number, locale=LOCALE)} {noun}"


def percent(share: float) -> str:
    """ "58 %": German writes a space before the sign."""
    return format_percent(share, locale=LOCALE)


def short_day(day: date) -> str:
    """ "Fr. 20. Jan.", in every table of days."""
    return format_date(day, "EE d. MMM", locale=LOCALE)
