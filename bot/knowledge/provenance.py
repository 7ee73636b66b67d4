"""Every number in an answer must stand in a quote of its sources.

Staff may reword answers freely, but a date, amount, percentage or count that no quoted
sentence contains is an invented fact. Numbers are compared after normalising how they are
written: "17.02.2017" = "17. Februar 2017" = "17 February 2017", "30 Mio." = "30 Millionen", and
in words from three on ("zehn Städte" = "ten towns" = "10 Städte", "fünf Millionen Euro"; text2num).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from text_to_num import alpha2digit

from bot.domain import TOPICS_WITHOUT_SOURCE
from bot.knowledge.model import Call, Entry, Location, Source
from bot.knowledge.placeholders import PLACEHOLDER
from bot.knowledge.problems import Problem, Severity

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jänner", "january", "jan"),
            ("februar", "february", "feb"),
            ("märz", "maerz", "march", "mär", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_NUM = r"\d+(?:[.,]\d+)*"
_EDGE_BEFORE = r"(?<![\w/.,-])"
_EDGE_AFTER = r"(?![^\W\d_])"
_SCALE = r"(mio\.?|millionen|million|mrd\.?|milliarden|billion)"
_UNIT = r"(?:\s*(?:%|prozent\b|percent\b|euro\b|€))?"
"""A unit after a number is part of how it is written (shown in messages), not of what it means."""

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("date", re.compile(rf"{_EDGE_BEFORE}(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}){_EDGE_AFTER}")),
    ("date_named", re.compile(rf"{_EDGE_BEFORE}(\d{{1,2}})\.?\s+{_MONTH}\s+(\d{{4}}){_EDGE_AFTER}", re.I)),
    ("day_month_named", re.compile(rf"{_EDGE_BEFORE}(\d{{1,2}})\.?\s+{_MONTH}(?!\w)", re.I)),
    ("day_month", re.compile(rf"{_EDGE_BEFORE}(\d{{1,2}})\.(\d{{1,2}})\.(?!\d)")),
    ("month_year", re.compile(rf"(?<!\w){_MONTH}\s+(\d{{4}}){_EDGE_AFTER}", re.I)),
    ("time", re.compile(rf"{_EDGE_BEFORE}(\d{{1,2}})[:.](\d{{2}})(?=\s*(?:uhr|–|-|bis|\)|,|$))", re.I)),
    ("amount", re.compile(rf"{_EDGE_BEFORE}({_NUM})\s*{_SCALE}(?!\w){_UNIT}", re.I)),
    ("number", re.compile(rf"{_EDGE_BEFORE}({_NUM}){_EDGE_AFTER}{_UNIT}", re.I)),
]
_LIST_MARKER = re.compile(r"^\s*\d{1,2}\.\s", re.M)
_URL = re.compile(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:de|com|org|net|eu|nrw)\b\S*")


@dataclass(frozen=True)
class Claim:
    """A number as written in an answer and what it means."""

    written: str
    meaning: str


def _value(text: str) -> float:
    """ "769.560,68" → 769560.68, "4.012.675" → 4012675, "4.6" → 4.6."""
    if "," in text:
        return float(text.replace(".", "").replace(",", "."))
    groups = text.split(".")
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    return float(text)


def _number(value: float) -> str:
    return f"n:{value:.12g}"


def _meanings(kind: str, match: re.Match[str]) -> list[str]:
    groups = match.groups()
    if kind in ("date", "date_named"):
        day, month, year = groups
        month_number = int(month) if kind == "date" else _MONTHS[month.casefold()]
        return [f"d:{int(year)}-{month_number:02}-{int(day):02}"]
    if kind in ("day_month", "day_month_named"):
        day, month = groups[0], groups[1]
        month_number = int(month) if kind == "day_month" else _MONTHS[month.casefold()]
        return [f"dm:{month_number:02}-{int(day):02}"] if 1 <= month_number <= 12 else [_number(_value(day))]
    if kind == "month_year":
        return [f"m:{int(groups[1])}-{_MONTHS[groups[0].casefold()]:02}"]
    if kind == "time":
        return [f"t:{int(groups[0]):02}:{groups[1]}"]
    if kind == "amount":
        scale = 1e9 if groups[1].casefold().startswith(("mrd", "milliard", "billion")) else 1e6
        return [_number(_value(groups[0]) * scale)]
    return [_number(_value(groups[0]))]


_SCALED = re.compile(r"(\d)\s+(millionen|million|milliarden|milliarde)\b", re.I)
_ORDINAL = re.compile(
    r"\b(?:dritt|viert|fünft|sechst|siebt|siebent|acht|neunt|zehnt|elft|zwölft|[a-zäöüß]+zehnt"
    r"|[a-zäöüß]+(?:zig|ßig)st|[a-zäöüß]*hundertst|[a-zäöüß]*tausendst)(?:e|er|es|en|em)\b",
    re.I,
)
_NO_NUMBER = (
    (re.compile(r"\b(außer|in)\s+Acht\b"), r"\1 Betracht"),  # the noun ("außer Acht lassen"), not eight
    (re.compile(r"\b(einige|ein paar|mehrere|viele)\s+(?:hundert|tausend)\b", re.I), r"\1"),  # says no number
    (re.compile(r"\b(?:eine\s+)?halbe\s+Million\b", re.I), "0,5 Mio."),
    (_ORDINAL, "…"),  # "jedes dritte Projekt", "zum zehnten Mal": a rank, no amount to back
)


def in_digits(text: str) -> str:
    """Cardinal numbers written in words (German or English) as digits: "zwölf Uhr" → "12 Uhr". "ein",
    "zwei" stay words (text2num's default): "eine Frist" claims nothing. After digits a scale word
    stays one ("30 Millionen" → "30 Mio.", not "30 1000000")."""
    text = _SCALED.sub(lambda m: f"{m[1]} {'Mrd.' if m[2].casefold().startswith('milliard') else 'Mio.'}", text)
    for pattern, replacement in _NO_NUMBER:
        text = pattern.sub(replacement, text)
    return alpha2digit(alpha2digit(text, "de"), "en")


def claims(text: str) -> list[Claim]:
    """The numbers written in digits in a text, longest reading first (a date is not also three numbers)."""
    found = []
    taken = [False] * len(text)
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
            found.extend(Claim(match.group(0).strip(), meaning) for meaning in _meanings(kind, match))
    return found


def _implied(meaning: str) -> set[str]:
    """What a quoted number also backs: a full date backs its month, its day and its year."""
    kind, _, value = meaning.partition(":")
    if kind == "d":
        year, month, day = value.split("-")
        return {meaning, f"m:{year}-{month}", f"dm:{month}-{day}", _number(int(year))}
    if kind == "m":
        return {meaning, _number(int(value.split("-")[0]))}
    if kind == "n" and float(value) >= 1e6:
        return {meaning, _number(float(value) / 1e6)}
    return {meaning}


def backed(quotes: list[str]) -> set[str]:
    """What the quotes back, written in digits or in words ("ten towns")."""
    found = [claim for quote in quotes for claim in claims(quote) + claims(in_digits(quote))]
    return {implied for claim in found for implied in _implied(claim.meaning)}


def answer_claims(text: str, call: Call) -> tuple[list[Claim], list[Claim]]:
    """The claims of an answer text in digits, and those only written in words; placeholders,
    addresses, list numbers and the call's name are no claims."""
    text = PLACEHOLDER.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _LIST_MARKER.sub(" ", text)
    for name in (call.name, call.short_name):
        text = re.sub(re.escape(name), " ", text, flags=re.I)
    in_figures = claims(text)
    said = {claim.meaning for claim in in_figures}
    return in_figures, [claim for claim in claims(in_digits(text)) if claim.meaning not in said]


def entry_problems(entry: Entry, call: Call) -> list[Problem]:
    """An error per number no quote of the entry or of its variant backs; a warning if nothing is quoted."""
    if entry.topic in TOPICS_WITHOUT_SOURCE:
        return []
    quotes = [quote for source in entry.sources for quote in source.quotes]
    problems = []
    variant_sources = [source for variant in entry.variants for source in variant.sources]
    if (entry.sources or variant_sources) and not quotes and not any(source.quotes for source in variant_sources):
        message = "keine Zitate: unter „sources“ je Quelle „url“ und „quote“ (den belegenden Satz) angeben"
        problems.append(Problem(Severity.WARNING, entry.location, message))
    for variant in entry.variants:
        backing = backed(quotes + [quote for source in variant.sources for quote in source.quotes])
        in_figures, in_words = answer_claims(variant.text, call)
        for claim in in_figures:
            if claim.meaning not in backing:
                message = f"„{claim.written}“ steht in keinem Zitat der Quellen: {_BACK_IT}"
                problems.append(Problem(Severity.ERROR, variant.location, message))
        for claim in in_words:  # a warning: words are read less surely than figures ("außer Acht")
            if claim.meaning not in backing:
                written = f"eine Zahl in Worten (als Ziffern: „{claim.written}“)"
                message = f"{written} steht in keinem Zitat der Quellen: {_BACK_IT}"
                problems.append(Problem(Severity.WARNING, variant.location, message))
    return problems


_BACK_IT = "ein Zitat ergänzen, das die Angabe enthält, oder die Angabe streichen"


def dated_problems(kind: str, item_id: str, day: date, sources: tuple[Source, ...], where: Location) -> list[Problem]:
    """A deadline or event in call.yaml must quote its date (a month-only quote backs its 1st day)."""
    quotes = [quote for source in sources for quote in source.quotes]
    if not quotes:
        message = f"{kind} „{item_id}“ ohne Zitat: „sources“ mit url und quote angeben, die das Datum nennen"
        return [Problem(Severity.WARNING, where, message)]
    backing = backed(quotes)
    if f"d:{day.isoformat()}" in backing or (day.day == 1 and f"m:{day:%Y-%m}" in backing):
        return []
    message = f"{kind} „{item_id}“: das Datum {day:%d.%m.%Y} steht in keinem Zitat ihrer Quellen"
    return [Problem(Severity.ERROR, where, message)]
