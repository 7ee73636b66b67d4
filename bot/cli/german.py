"""argparse in German: its own texts (usage, errors) go through gettext, which we answer here.

Staff read these lines; Python ships no German catalogue for argparse. Texts not listed here
(newer Python versions add some) stay English rather than break.
"""

from __future__ import annotations

import argparse

TEXTS = {
    "usage: ": "Aufruf: ",
    "options": "Optionen",
    "positional arguments": "Argumente",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "one of the arguments %s is required": "eine dieser Angaben fehlt: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Wahl: %(value)r (möglich: %(choices)s)",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "expected one argument": "erwartet einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "not allowed with argument %s": "nicht zusammen mit %s möglich",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "ignored explicit argument %r": "Wert %r wird nicht erwartet",
    "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
}
PLURALS = {"expected %s argument": ("erwartet %s Wert", "erwartet %s Werte")}


def _gettext(message: str) -> str:
    return TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    german = PLURALS.get(singular)
    if german:
        return german[0] if n == 1 else german[1]
    return singular if n == 1 else plural


def install() -> None:
    """argparse looks both names up at call time."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext
