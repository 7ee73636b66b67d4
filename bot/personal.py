"""Personal data in a message: e-mail addresses, phone, IBAN and tax numbers, bot tokens, and the
writer's name where a message introduces or signs with it.

The store keeps a question without them (DSGVO: store no more than needed – the privacy notice says
"ohne Namen"), and without the direction overrides that would make it read differently than it was
written. The engine does not read them as words of the question: "Hallo, ich heiße Anna. Wann ist
die Frist?", "Wer darf sich bewerben? LG Sabine" and "Meine Nummer: 0209 1234567. Wann …?" fell
back – a name or a number is a word no phrasing knows, and unknown words make a message look like
one about something else. Shared by both layers, so the two cannot disagree about what personal
data looks like.
"""

from __future__ import annotations

import re

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A Telegram bot token (digits, colon, 35 characters) – pasted by mistake, it must not reach a report
    (re.compile(r"\b\d{6,12}:[\w-]{30,}"), "[Token]"),
    # "(?<!…)": an address starts where its run of letters starts – else every letter of a long run
    # is tried as a start (quadratic: 6,000 letters took a second)
    (re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[E-Mail]"),
    # written against spam harvesters: "anna.schmidt(at)marl.de", "anna [at] marl [dot] de"
    (
        re.compile(
            r"(?<![\w.+-])[\w.+-]+\s*[(\[]\s*at\s*[)\]]\s*[\w-]+(?:(?:\.|\s*[(\[]\s*dot\s*[)\]]\s*)[\w-]+)+",
            re.IGNORECASE,
        ),
        "[E-Mail]",
    ),
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
NAME_LABEL = "[Name]"
PLACEHOLDERS = (*LABELS, NAME_LABEL)
"""Every label a stored question may hold in place of personal data."""
_CANDIDATE = re.compile(r"[@\d]|[(\[]\s*at\s*[)\]]", re.IGNORECASE)
"""Every pattern above needs an "@", a digit or an "(at)": most questions have none and are done at once."""
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Bidi embeddings, overrides and isolates: they make a stored question read differently in a
report or a spreadsheet than it was written ("Trojan Source"); the words stay."""

_NAME = r"(?:\[Name\]|(?!(?:Ihnen|Sie|Ihr|Euch|Dir|Dich|Dank|Schön|Und)\b)[A-ZÄÖÜ][\w'\u2019-]*)"
_NAMES = rf"(?P<name>{_NAME}(?:\s+{_NAME}){{0,2}})"
"""One to three capitalised words: "Anna", "Sabine Kretschmer", "Anna-Lena Müller"; or the label a
stored question has in its place ("Ich heiße [Name], …" reads like "Ich heiße Anna, …")."""
_TITLES = r"(?i:(?:herr|frau|dr\.|prof\.|dipl\.-?[a-zäöü]+\.?|ing\.)\s*)*"
"""Before a name: "Frau", "Dr.", "Prof. Dr.", "Dipl.-Ing."."""
_SIGNED = rf"(?P<name>(?:[A-ZÄÖÜ]\.[ \t]*)?{_NAME}(?:[ \t]+{_NAME}){{0,2}})"
"""A name as signed, perhaps with an initial first: "T. Wieczorek"."""
_SIGN_OFF = (
    r"(?P<greeting>(?i:\b(?:lg|vg|mfg|gruß|gruss|grüße|grüßen|gruesse|gruessen|grüßle|cheers|regards|thanks"
    r"|danke(?:\s+schön)?|i\.\s?a\.|im\s+auftrag))(?:\s+aus\s+[A-ZÄÖÜ][\w-]*)?)"
)
"""A closing greeting, perhaps from somewhere: "Mit freundlichen Grüßen", "Beste Grüße aus Marl"; or
what signs for a firm ("i. A."; not "i. V.", which also cites a law: "§ 44 LHO i. V. m. …")."""
_ENDS = r"(?=\s*(?:[,.;:!?–-]|$)|\s+(?i:von|vom|aus|bei|und|from|of|and)\b)"
"""After a name: a punctuation mark, the end, or "von der Firma …" – not another word of a sentence
("Mein Name ist Teil des Antrags", "Hier ist Eigenanteil nötig?" name nobody)."""
_TRAILING_CONTACT = r"(?:[\s.,;:!]|(?i:telefon|tel|mobil|fon|e-?mail|mail)|\[[\w-]+\])*+$"
"""What may follow a name at the end of a message: punctuation, "Tel. [Telefon]"."""
_NAME_PATTERNS = (
    # "ich heiße Anna", "Mein Name ist Sabine Kretschmer, …", "Hier ist Frau Müller von …"; "ich bin"
    # only before two names ("Ich bin Anna Schmidt."): "Ich bin Student" says who asks
    re.compile(
        r"(?i:\b(?:ich\s+hei(?:ß|ss)e|mein\s+name(?:\s+ist|\s*:)|my\s+name\s+is|hier\s+(?:ist|schreibt|spricht)))"
        rf"\s+{_TITLES}{_NAMES}{_ENDS}"
    ),
    re.compile(rf"(?i:\bich\s+bin)\s+(?P<name>{_NAME}\s+{_NAME}(?:\s+{_NAME})?){_ENDS}"),
    # whom the message is addressed to: "Sehr geehrte Frau Schmidt,", "Hallo Herr Dr. Peters,"
    re.compile(
        r"(?i:\b(?:sehr\s+geehrte[rs]?|liebe[rs]?|hallo|guten\s+tag)\s+(?:herr|frau)\s+)"
        rf"{_TITLES}{_NAMES}{_ENDS}"
    ),
    # a name first, as on the phone: "Jürgen Kowalski hier, Elektro Kowalski aus Herten."
    re.compile(rf"(?:^|(?<=[,.!:]\s)){_NAMES}\s+hier\s*(?=[,.;:!–-]|$)"),
    # a greeting and a name at the end: "LG Sabine", "Mit freundlichen Grüßen Thomas Wieczorek, Tel. …"
    re.compile(rf"{_SIGN_OFF}[\s,!.]+{_TITLES}{_SIGNED}(?={_TRAILING_CONTACT})"),
    # a signature: the name alone on the line after the greeting, whatever lines follow
    # ("Mit freundlichen Grüßen\nDr. Thomas Wieczorek\nWirtschaftsförderung Marl\nTel. …")
    re.compile(rf"{_SIGN_OFF}[ \t,!.]*\n\s*{_TITLES}{_SIGNED}[ \t,]*(?=\n[^?]*$|$)"),
    # below an e-mail's signature line "--" (alone on its line), a full name: "--\nDr. Anna Schmidt\n…";
    # a "--" before a word is a bullet ("-- Frist"), one word under it a topic ("--\nFörderquote")
    re.compile(
        rf"(?P<greeting>(?m:^[ \t]*--[ \t]*$))\n\s*{_TITLES}(?P<name>{_NAME}(?:[ \t]+{_NAME}){{1,2}})"
        rf"[ \t,]*(?=\n[^?]*$|$)"
    ),
)
_CONTACT_LEAD = re.compile(
    r"(?i:(?:\b(?:meine|unsere|my)\s+)?\b(?:e-?mail(?:-?adresse)?|mail|(?:telefon|handy|mobil)?nummer|telefon"
    r"|tel\.?|fon|mobil)(?:\s+(?:ist|lautet|is))?\s*:?\s*)?"
    rf"(?:{'|'.join(re.escape(label) for label in LABELS)})"
)
"""Personal data as masked, with a "Meine Nummer:" or "Tel." before it."""


def redact(text: str) -> str:
    """The question as it may be stored: personal data replaced by what it was ("[E-Mail]", "[Name]")."""
    text = masked(_DIRECTION.sub("", text))
    for pattern in _NAME_PATTERNS:
        text = pattern.sub(_labelled, text)
    return text


def masked(text: str) -> str:
    """Contact details and numbers replaced by their label ("[Telefon]")."""
    if not _CANDIDATE.search(text):
        return text
    for pattern, label in _PATTERNS:
        text = pattern.sub(label, text)
    return text


def without_personal(text: str) -> str:
    """The message as the engine reads it: without the writer's name, the name after a closing
    greeting (the greeting stays), and contact details with their "Meine Nummer:"; what says who
    asks stays ("…, ich arbeite bei der Stadt Gladbeck", "Hier schreibt die Stadtverwaltung Marl")."""
    text = masked(text)
    for pattern in _NAME_PATTERNS:
        text = pattern.sub(lambda match: match.groupdict().get("greeting") or "", text)
    return _CONTACT_LEAD.sub("", text)


def _labelled(match: re.Match[str]) -> str:
    start, end = match.span("name")
    whole = match.group(0)
    return whole[: start - match.start()] + NAME_LABEL + whole[end - match.start() :]
