"""Read a chat message in parts: greetings, context about the writer, and the question(s).

People write "Guten Morgen! Wir sind ein Verein in Herten. Dürfen wir uns bewerben?": the
greeting and the introduction are not the question, but the introduction may decide the
answer ("Verein"). Two questions in one message ("Wer darf sich bewerben und bis wann?") are
two parts, each answered on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.engine.normalize import INTERROGATIVES, words


class Kind(StrEnum):
    GREETING = "greeting"
    """Hello, thanks, goodbye: nothing to answer when a question follows."""
    CONTEXT = "context"
    """Who is asking and about what ("Ich leite ein Ingenieurbüro in Marl.")."""
    QUESTION = "question"


@dataclass(frozen=True)
class Part:
    text: str
    kind: Kind
    alternative: bool = False
    """Asks the question before it another way ("Passt das in den Aufruf, oder geht es nur um
    Wirtschaft?"): either may be the one to answer, never both."""


_SENTENCES = re.compile(r"(?<=[.!?;:])\s+|\n+|(?<=\?)(?=\S)")
_NOT_AN_END = re.compile(
    r"(?:^|[\s(])(?:\d{1,2}|[zud]|z\.\s?b|u\.\s?a|d\.\s?h|bzw|ca|nr|evtl|ggf|inkl|zzgl|usw|bspw|vgl|dr|prof|str|abs|tel|max|mind|mio|mrd|tsd|sog)\.$",
    re.IGNORECASE,
)
"""A dot that ends an ordinal ("am 17. Februar", "1. Wer …") or an abbreviation ("z. B.", "Prof.")."""
_PREPOSITIONS = r"nach|von|an|mit|für|fuer|bei|in|über|ueber|zu|auf|aus|bis|ab"
_INDIRECT = re.compile(
    r"(?:^|(?<=,))(?P<lead>[^,]*\b(?:wissen|fragen|frage|fragt|erfahren|klären|klaeren|interessiert|wüsste|wuesste"
    rf"|sagen|erklären|erklaeren|finde|finden|verstehe|unklar|unsicher|ahnung)\b[^,]*),\s*(?P<question>(?:(?:{_PREPOSITIONS})\s+)?"
    r"(?:ob|wann|wie|wo|wohin|woher|wer|was|warum|wieso|weshalb|welche[rsmn]?)\b.+)",
    re.IGNORECASE,
)
"""A lead-in about asking ("Ich möchte wissen", "Mehrere Firmen fragen") or not knowing ("…, aber ich
finde nirgends", "Mir ist unklar") before the question it announces: the lead-in is context, the
clause after it the question."""
_INDIRECT_UNPUNCTUATED = re.compile(
    rf"(?P<lead>[^,?]*\b(?:wissen|fragen|erfahren)\s+)(?P<question>(?:(?:{_PREPOSITIONS})\s+)?"
    r"(?:ob|wann|wie|wo|wohin|woher|wer|was|welche[rsmn]?)\b.+)",
    re.IGNORECASE,
)
"""The same without its comma, as chat and dictated messages run on: "… und jetz wollt ich ma wissen
ob wir da mitmachen duerfen"."""
_ASIDE = re.compile(r",\s*(?=(?:damit|weil|denn|da|wir|ich|sonst|also|bevor|nachdem|falls|wenn)\b)", re.IGNORECASE)
"""Where a reason or remark follows the announced question: "…, wann die Frist ist, wir fangen erst an"."""
_ENUMERATOR = re.compile(r"^(?:\(?\d{1,2}[.)]|[a-z]\)|[-•*])\s+")
"""A list marker before a question ("1. Wer darf …? 2. Bis wann?") is not part of it."""
MIN_CLAUSE_WORDS = 2
"""A second question needs words of its own: a lone "Wann" belongs to the clause it opens."""
_GREETING_WORDS = frozenset(
    [
        "hallo",
        "hi",
        "hey",
        "moin",
        "moinsen",
        "servus",
        "huhu",
        "tach",
        "tag",
        "guten",
        "morgen",
        "abend",
        "gute",
        "nacht",
        "liebe",
        "sehr",
        "geehrte",
        "geehrter",
        "geehrtes",
        "damen",
        "herren",
        "und",
        "lieber",
        "grüße",
        "grüßen",
        "gruessen",
        "grüssen",
        "gruesse",
        "gruss",
        "gruß",
        "grüß",
        "gott",
        "glück",
        "auf",
        "zusammen",
        "leute",
        "team",
        "freunde",
        "allerseits",
        "erstmal",
        "erst",
        "mal",
        "danke",
        "dank",
        "vielen",
        "herzlichen",
        "besten",
        "schönen",
        "schoenen",
        "tschüss",
        "tschuess",
        "ciao",
        "bye",
        "hello",
        "thanks",
        "thank",
        "you",
        "dear",
        "good",
        "morning",
        "evening",
        "afternoon",
        "ok",
        "okay",
        "super",
        "prima",
        "toll",
        "sorry",
        "entschuldigung",
        "bitte",
        "grüsse",
        "gruss",
        "grüss",
        "viele",
        "lg",
        "vg",
        "mfg",
        "freundliche",
        "freundlichen",
        "beste",
        "mit",
        "euch",
        "ihnen",
        "dir",
        "regards",
        "cheers",
        "bot",
        "förderbot",
        "foerderbot",
        # openers that only announce the question: "Hör mal, …", "Sag mal, …", "Kurze Frage, …"
        "hör",
        "hoer",
        "sag",
        "sagt",
        "guck",
        "kurze",
        "kleine",
        "eine",
        "frage",
        "noch",
    ]
)
_QUESTION_VERBS = frozenset(
    [
        "kann",
        "können",
        "koennen",
        "darf",
        "dürfen",
        "duerfen",
        "muss",
        "müssen",
        "muessen",
        "soll",
        "sollen",
        "ist",
        "sind",
        "gibt",
        "gibts",
        "gibbet",
        "gehört",
        "gehoert",
        "reicht",
        "zählt",
        "zaehlt",
        "braucht",
        "brauche",
        "brauchen",
        "wird",
        "werden",
        "habe",
        "haben",
        "hat",
        "hab",
        "bekomme",
        "bekommen",
        "kriege",
        "krieg",
        "kricht",
        "lohnt",
        "passt",
        "geht",
        "läuft",
        "laeuft",
        "fällt",
        "faellt",
        "könnte",
        "koennte",
        "dürfte",
        "duerfte",
        "müsste",
        "muesste",
        "sollte",
        "stimmt",
    ]
)
"""Finite verbs a German question may open with ("Gibt es …?", "Dürfen wir …?")."""
_MODALS = frozenset(
    ["kann", "können", "koennen", "darf", "dürfen", "duerfen", "muss", "müssen", "muessen", "soll", "sollen", "könnte",
     "koennte", "dürfte", "duerfte", "müsste", "muesste", "sollte"]
)  # fmt: skip
"""Modal verbs share their object in "Wer kann und darf mitmachen?": no second question there."""
_QUESTION_OPENERS = (
    frozenset(INTERROGATIVES)
    | _QUESTION_VERBS
    | frozenset(
        [
            "bin",
            "bis",
            "ob",
            "weiß",
            "weiss",
            "wisst",
            "wissen",
            "welche",
            "welcher",
            "welches",
            "welchen",
            "welchem",
            "can",
            "could",
            "do",
            "does",
            "is",
            "are",
            "where",
            "when",
            "who",
            "what",
            "how",
            "which",
            "should",
            "may",
            "must",
            "will",
        ]
    )
)

_OPENING = "|".join(sorted(_QUESTION_OPENERS))
_VERBS = "|".join(sorted(_QUESTION_VERBS))
_DASH = re.compile(rf"\s+[–—-]\s+(?=(?:{_OPENING})\b)", re.IGNORECASE)
"""A dash before a question ends what came before: "Ich habe ein Start-up gegründet – dürfen wir …?"."""
_ASKING = "|".join(sorted(INTERROGATIVES)) + r"|welche[rsmn]?"
# A second question inside one sentence: "… und bis wann?", "… und nach welchen Kriterien …?",
# "…, und gibt es …?", "…, wer entscheidet …?", "…, und falls nicht, wie finde ich …?".
_CLAUSE = re.compile(
    rf"(?:,\s*|\s+)(?:und|oder|sowie|and|or)\s+(?=(?:(?:{_PREPOSITIONS})\s+)?(?:{_ASKING})\b|ab\b)"
    rf"|,\s*(?:und|(?P<alternative>oder))\s+(?=(?:{_VERBS})\b)"
    rf"|\s+und\s+(?=(?:{'|'.join(sorted(_QUESTION_VERBS - _MODALS))})\s+\w+)"
    rf"|\s+und\s+(?=(?:{'|'.join(sorted(_MODALS))})\s+(?:ich|wir|man|ihr|du)\b)"
    r"|,\s*(?=(?:wer|wann|wo|wohin|woher|welche[rsmn]?)\b)"
    rf"|,\s*(?:und\s+|oder\s+)?(?:falls|wenn)\s+(?:nicht|nein|ja|doch)\s*,\s*(?=(?:{_OPENING})\b)",
    re.IGNORECASE,
)
_DEPENDENT = re.compile(
    r"(?:wer|wann|wo|wohin|woher)\s+(?:ich|wir|man|sie|er|es|du|ihr|die|der|das|den|dem|des|ein|eine|einen|einem|einer"
    r"|mein\w*|unser\w*|dies\w*|jede\w*)\b"
    rf"|welche[rsmn]?\s+\w+\s+(?!(?:{_VERBS})\b)\w",
    re.IGNORECASE,
)
"""After a comma, a question word whose clause puts its verb last asks nothing of its own:
"Wer entscheidet, welche Projekte gefördert werden?"."""
_SELF = frozenset(
    [
        "ich",
        "wir",
        "mein",
        "meine",
        "meinem",
        "meinen",
        "unser",
        "unsere",
        "unserem",
        "unseren",
        "uns",
        "i",
        "we",
        "our",
        "my",
    ]
)


def _announced(sentence: str) -> tuple[str, str, str] | None:
    """A question put as a statement about asking: "Ich möchte wissen, ob wir … brauchen, weil …"
    → ("Ich möchte wissen", "ob wir … brauchen", "weil …"): lead-in, question, remark."""
    match = _INDIRECT.search(sentence) or _INDIRECT_UNPUNCTUATED.search(sentence)  # the lead-in may follow
    if match is None:  # earlier clauses ("…, aber ich finde nirgends, wo …")
        return None
    lead = sentence[: match.end("lead")].strip()
    opening = words(lead)[:1]
    if opening and opening[0] in INTERROGATIVES:
        return None  # "Wann erfahren wir, ob …?" asks its own question
    asked = match.group("question").strip()
    remark = _ASIDE.search(asked)
    question, aside = (asked[: remark.start()], asked[remark.end() :]) if remark else (asked, "")
    return lead, question.strip(), aside.strip()


def _sentences(message: str) -> list[str]:
    pieces = _cut(message, _SENTENCES, lambda m: bool(_NOT_AN_END.search(message[max(0, m.start() - 8) : m.start()])))
    return [sentence for piece, _ in pieces for sentence in _DASH.split(piece)]


def _clauses(sentence: str) -> list[tuple[str, bool]]:
    """The sentence cut before each clause that asks a question of its own, and whether the clause
    asks the one before another way (", oder geht es …?", a verb after "oder"; "oder wo …?" asks
    something else)."""
    pieces = _cut(sentence, _CLAUSE, lambda m: m.group(0).startswith(",") and bool(_DEPENDENT.match(sentence, m.end())))
    return [(piece, bool(cut and cut.group("alternative"))) for piece, cut in pieces]


def _cut(
    text: str, breaks: re.Pattern[str], holds: Callable[[re.Match[str]], bool]
) -> list[tuple[str, re.Match[str] | None]]:
    """`text` cut at every match of `breaks` except those that `holds`; each piece with the match
    before it."""
    pieces, start, before = [], 0, None
    for match in breaks.finditer(text):
        if not holds(match):
            pieces.append((text[start : match.start()], before))
            start, before = match.end(), match
    return [*pieces, (text[start:], before)]


def _is_greeting(text: str) -> bool:
    tokens = words(text)
    return bool(tokens) and all(token in _GREETING_WORDS for token in tokens)


_CONJUNCTIONS = frozenset(["und", "aber", "oder", "also"])
"""Before a question word they still open a question: "… und was speichert ihr von mir"."""


_SUBJECT_DROPPED = frozenset(["bin", "hab", "habe"])
"""First-person verbs that open chat statements without their "ich" ("Bin seit drei Wochen da",
"Hab gestern davon gehört"); with it they open a question ("Hab ich die Frist verpasst")."""


def _is_question(text: str) -> bool:
    if text.rstrip().endswith("?"):
        return True
    tokens = words(text)
    while tokens and tokens[0] in _CONJUNCTIONS:
        tokens = tokens[1:]
    if _subject_dropped(tokens):
        # "Bin Student, darf ich mich bewerben": a later clause asks
        return any(_is_question(clause) for clause in text.split(",")[1:])
    return bool(tokens) and tokens[0] in _QUESTION_OPENERS


def _subject_dropped(tokens: list[str]) -> bool:
    return bool(tokens) and tokens[0] in _SUBJECT_DROPPED and tokens[1:2] != ["ich"]


def _looks_like_context(text: str) -> bool:
    """A statement about the writer (no question mark, speaks of "ich"/"wir" or leaves the "ich"
    out), or a lead-in that announces what follows ("Eine Frage vorweg:")."""
    stripped = text.rstrip()
    if stripped.endswith(":"):
        return True
    tokens = words(text)
    about_the_writer = bool(_SELF.intersection(tokens)) or _subject_dropped(tokens)
    return not stripped.endswith("?") and about_the_writer and not _is_question(text)


def split(message: str) -> list[Part]:
    """The message's parts in order; a message without any recognisable question is one question."""
    sentences = [s.strip() for s in _sentences(message) if s and s.strip(" .,;:!?-–—")]
    parts = [part for sentence in sentences for part in _sentence_parts(sentence, greeting_first=True)]
    if not any(part.kind is Kind.QUESTION for part in parts):
        # Nothing asked: "danke dir, hast mir echt geholfen" is read whole, greeting included.
        parts = [part for sentence in sentences for part in _sentence_parts(sentence, greeting_first=False)]
        meaningful = [p for p in parts if p.kind is not Kind.GREETING]
        if meaningful:
            # A statement ending the message is what the writer wants to know ("frist verpennt, was nu").
            last = meaningful[-1]
            parts = [Part(p.text, Kind.QUESTION) if p is last else p for p in parts]
    return parts


def _sentence_parts(sentence: str, *, greeting_first: bool) -> list[Part]:
    """One sentence's parts; with `greeting_first` a greeting before a comma is a part of its own."""
    parts: list[Part] = []
    opening, comma, rest = sentence.partition(",")
    if greeting_first and comma and rest.strip(" .,;:!?-–—") and _is_greeting(opening):
        # "Hallo zusammen, wir sind …": the greeting is no part of the introduction.
        parts.append(Part(opening.strip(), Kind.GREETING))
        sentence = rest.strip()
    announced = _announced(sentence)
    if announced:
        lead, question, aside = announced
        return [
            *parts,
            Part(lead, Kind.CONTEXT),
            *_questions(question),
            *([Part(aside, Kind.CONTEXT)] if aside else []),
        ]
    if _is_greeting(sentence):
        return [*parts, Part(sentence, Kind.GREETING)]
    if _looks_like_context(sentence) or not _is_question(sentence):
        # A statement ("Hier schreibt die Kämmerei der Stadt Marl.") is context, unless the
        # message asks nothing else (`split`).
        return [*parts, Part(sentence, Kind.CONTEXT)]
    return [*parts, *_questions(sentence)]


def _questions(sentence: str) -> list[Part]:
    """A question sentence cut into the questions it asks."""
    clauses = [(c.strip(), alternative) for c, alternative in _clauses(sentence) if c.strip(" ,.?!")]
    if any(len(words(clause)) < MIN_CLAUSE_WORDS for clause, _ in clauses):
        clauses = [(sentence, False)]  # "Wann und wo …?" asks one thing, not "Wann" and "wo …"
    # "Ich suche eine Ausbildung, wo kann ich mich bewerben?": a statement about the writer before
    # the question is its context, not a question of its own.
    parts: list[Part] = []
    for clause, alternative in clauses:
        kind = Kind.CONTEXT if _looks_like_context(clause) else Kind.QUESTION
        # only a question can be asked another way: "Ich bin Student, oder kann ich …?" asks once
        another_way = alternative and kind is Kind.QUESTION and bool(parts) and parts[-1].kind is Kind.QUESTION
        parts.append(Part(_ENUMERATOR.sub("", clause), kind, another_way))
    return parts


_ENGLISH_SECOND = re.compile(r",?\s+und\s+(?=(?:wer|was|wann|wo|wie|welche[rsmn]?)\b)", re.IGNORECASE)
"""In an English message, read in the lexicon's German: "… Frist und wer kann bewerben?" asks twice."""


_AFTER_QUESTION_MARK = re.compile(r"(?<=\?)\s+(?=\S)")


def english_questions(text: str) -> list[Part]:
    """An English message asks once per question mark ("When is the deadline? Who can apply?") or
    twice in one sentence joined by "and" before a question word ("When is the deadline and who can
    apply?"). A statement stays with the question after it: no introduction is read apart (measured:
    that cost answers); one after the last question asks nothing ("Where do I submit? I am a student.")."""
    sentences = [s.strip() for s in _AFTER_QUESTION_MARK.split(text.strip()) if s.strip(" ?")]
    after = sentences.pop() if len(sentences) > 1 and not _is_question(sentences[-1]) else None
    pieces = [p.strip() for sentence in sentences for p in _ENGLISH_SECOND.split(sentence, maxsplit=1)]
    parts = [Part(piece, Kind.QUESTION) for piece in pieces] or [Part(text.strip(), Kind.QUESTION)]
    return [*parts, Part(after, Kind.GREETING)] if after else parts
