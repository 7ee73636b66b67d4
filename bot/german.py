"""How the bot writes numbers, plurals, shares, days and system errors in German, for every layer.

Shared (it imports no layer): the knowledge checks count Formulierungen as the Telegram replies
count Fragen, /stats writes a share as the report does ("58 %"), nobody writes "1 Fragen" by hand,
and a missing file reads "nicht gefunden", not "No such file or directory", wherever it is reported.
"""

from __future__ import annotations

import errno
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


_OS_REASONS = {
    errno.ENOENT: "nicht gefunden: Pfad prüfen oder den Ordner anlegen",
    errno.EACCES: "keine Berechtigung: Rechte prüfen oder als Eigentümer ausführen",
    errno.EPERM: "keine Berechtigung: Rechte prüfen oder als Eigentümer ausführen",
    errno.EROFS: "schreibgeschützt (nur lesbares Dateisystem)",
    errno.ENOSPC: "Datenträger voll",
    errno.ENOTDIR: "ein Teil des Pfads ist eine Datei, kein Ordner",
    errno.EISDIR: "ist ein Ordner, keine Datei",
}


def os_error_text(exc: OSError) -> str:
    """Which path and what to do, in German (the system's text is English)."""
    reason = _OS_REASONS.get(exc.errno, exc.strerror or str(exc))
    return f"{exc.filename}: {reason}" if exc.filename else reason
