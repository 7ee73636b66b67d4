"""What a message says about its writer that no entry answers: a name, a sign-off, contact details.

"Hallo, ich heiße Anna. Wann ist die Frist?", "Wer darf sich bewerben? LG Sabine", "Meine Nummer:
0209 1234567" fell back: a name or a number is a word no phrasing knows, and unknown words make a
message look like one about something else. They are left out before the message is read; the
introduction around them stays ("…, ich arbeite bei der Stadt Gladbeck" says who asks).
"""

from __future__ import annotations

import re

from bot.personal import LABELS, masked

_NAME = r"(?!(?:Ihnen|Sie|Ihr|Euch|Dir|Dich|Dank|Schön)\b)[A-ZÄÖÜ][\w'\u2019-]*"
_NAMES = rf"{_NAME}(?:\s+{_NAME}){{0,2}}"
"""One to three capitalised words: "Anna", "Sabine Kretschmer", "Anna-Lena Müller"."""
_ENDS = r"(?=\s*(?:[,.;:!?–-]|$)|\s+(?i:von|vom|aus|bei|und|from|of|and)\b)"
"""After a name: a punctuation mark, the end, or "von der Firma …" – not another word of a sentence
("Mein Name ist Teil des Antrags", "Hier ist Eigenanteil nötig?" name nobody)."""
_INTRODUCTION = re.compile(
    rf"(?i:\b(?:ich\s+hei(?:ß|ss)e|mein\s+name\s+ist|my\s+name\s+is|hier\s+(?:ist|schreibt|spricht)))"
    rf"\s+(?i:(?:herr|frau)\s+)?{_NAMES}{_ENDS}"
)
"""Not after "hier ist die …": "Hier schreibt die Stadtverwaltung Marl" says who asks."""
_HERE = re.compile(rf"(?:^|(?<=[,.!:]\s))(?:{_NAMES})\s+hier\s*(?=[,.;:!–-]|$)")
"""A name first, as on the phone: "Jürgen Kowalski hier, Elektro Kowalski aus Herten." – not
"Dürfen Vereine hier mitmachen?"."""
_SIGN_OFF = re.compile(
    r"(?P<greeting>(?i:\b(?:lg|vg|mfg|gruß|gruss|grüße|grüßen|gruesse|gruessen|grüßle|cheers|regards|thanks"
    r"|danke(?:\s+schön)?)))"
    rf"[\s,!.]+{_NAMES}[\s.!]*$"
)
"""A greeting and a name at the end: the greeting stays (it is recognised as one), the name goes."""
_CONTACT = re.compile(
    r"(?i:\b(?:meine|unsere|my)\s+(?:e-?mail(?:-?adresse)?|mail|(?:telefon|handy|mobil)?nummer|telefon|tel\.?)"
    r"(?:\s+(?:ist|lautet|is))?\s*:?\s*)?"
    rf"(?:{'|'.join(re.escape(label) for label in LABELS)})"
)
"""Personal data as the store masks it, with a "Meine Nummer:" before it."""


def without_names(message: str) -> str:
    """The message without its writer's name, sign-off name and contact details."""
    text = _INTRODUCTION.sub("", message)
    text = _HERE.sub("", text)
    text = _SIGN_OFF.sub(lambda match: match["greeting"], text)
    return _CONTACT.sub("", masked(text))
