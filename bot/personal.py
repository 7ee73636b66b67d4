"""Obvious personal data in a message: e-mail addresses, phone, IBAN and tax numbers, bot tokens.

The store keeps a question without them (DSGVO: store no more than needed), and without the
direction overrides that would make it read differently than it was written; the engine does not
read them as words of the question ("Meine Nummer: 0209 1234567" made "Wann ist die Frist?" fall back).
Shared by both layers, so the two cannot disagree about what personal data looks like.
"""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A Telegram bot token (digits, colon, 35 characters) – pasted by mistake, it must not reach a report
    (re.compile(r"\b\d{6,12}:[\w-]{30,}"), "[Token]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[E-Mail]"),
    # IBAN: country code, check digits, 11–30 letters/digits, often in groups of four
    (re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b", re.IGNORECASE), "[IBAN]"),
    # USt-IdNr. (DE + 9 digits), Steuernummer (12/345/67890 and similar), Steuer-ID (11 digits)
    (re.compile(r"\bDE ?\d{9}\b", re.IGNORECASE), "[Steuernummer]"),
    (re.compile(r"\b\d{2,3}/\d{3,4}/\d{4,5}\b"), "[Steuernummer]"),
    (re.compile(r"\b[1-9]\d ?\d{3} ?\d{3} ?\d{3}\b"), "[Steuer-ID]"),
    # Phone numbers: +49 or 0 followed by at least 6 more digits, with spaces, slashes, dashes
    (re.compile(r"(?<![\w/])(?:\+|00)\d{1,3}[\s/-]{0,3}(?:\(0\)[\s/-]{0,3})?\d(?:[\s/-]{0,3}\d){5,13}\b"), "[Telefon]"),
    # area code first, parted by space, slash, dash or dot – but not inside a file number (2017-0123-4567)
    (re.compile(r"(?<![\w/.-])0\d{2,5}(?:[\s/.-]{0,3}\d){4,10}\b"), "[Telefon]"),
    (re.compile(r"\(0\d{2,5}\)[\s/.-]{0,3}\d(?:[\s/.-]{0,3}\d){3,10}\b"), "[Telefon]"),
)


LABELS = tuple(dict.fromkeys(label for _, label in _PATTERNS))
"""What personal data is replaced by: "[E-Mail]", "[Telefon]" …"""
_CANDIDATE = re.compile(r"[@\d]")
"""Every pattern above needs an "@" or a digit: most questions have neither and are done at once."""
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidi embeddings, overrides and isolates: they make a stored question read differently in a
report or a spreadsheet than it was written ("Trojan Source"); the words stay."""


def redact(text: str) -> str:
    """The question as it may be stored: personal data replaced by what it was ("[E-Mail]")."""
    return masked(_DIRECTION.sub("", text))


def masked(text: str, *, labelled: bool = True) -> str:
    """Personal data replaced by its label ("[Telefon]"), or removed."""
    if not _CANDIDATE.search(text):
        return text
    for pattern, label in _PATTERNS:
        text = pattern.sub(label if labelled else "", text)
    return text
