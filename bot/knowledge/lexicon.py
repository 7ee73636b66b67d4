"""The staff-editable lexicon (lexicon.yaml): how people write in a chat → how the entries write.

Ruhrdeutsch ("dat", "kricht", "Kohle"), chat clippings ("gibts", "nen") and English words
("apply", "deadline") are rewritten word by word before matching, so the entries need not
list every way of writing. Staff extend it like the entries; `kb check` validates it.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.problems import Problem
from bot.knowledge.reader import read_optional
from bot.knowledge.yamlsource import LocatedDict

LEXICON_FILE = "lexicon.yaml"
SECTIONS = {
    "umgangssprache": "Dialekt, Umgangssprache und Chat-Kürzel",
    "englisch": "englische Wörter",
}
_WORDS = re.compile(r"^(?:[^\W\d_]+(?:[ '-][^\W\d_]+)*|(?:[^\W\d_]{1,4}\. ?)+)$")
"""A word, a group of words, or an abbreviation with its dots ("e. V.", "z.B.")."""


def read_lexicon(root: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """Per section: written form (casefolded) → replacement; an absent file is an empty lexicon."""
    reader, data = read_optional(root / LEXICON_FILE, problems)
    error = reader.error
    if data is None:  # absent, empty or only comments: nothing to rewrite, which is fine
        return {}
    if not isinstance(data, LocatedDict):
        error(1, f"lexicon.yaml braucht Abschnitte: {', '.join(SECTIONS)}")
        return {}
    lexicon: dict[str, dict[str, str]] = {}
    for section, words in data.items():
        if section not in SECTIONS:
            error(data.line_of(section), f"unbekannter Abschnitt „{section}“: erlaubt sind {', '.join(SECTIONS)}")
            continue
        if not isinstance(words, LocatedDict):
            error(data.line_of(section), f"„{section}“ muss Zeilen der Form „geschrieben: gemeint“ enthalten")
            continue
        rewrites = lexicon.setdefault(section, {})
        for written, meant in words.items():
            line = words.line_of(written)
            if not isinstance(written, str) or not _WORDS.match(written.strip()):
                error(
                    line,
                    f"„{written}“ ist kein Wort: links steht ein Wort, eine Wortgruppe ohne Ziffern"
                    " oder eine Abkürzung mit Punkten („e. V.“)",
                )
                continue
            if not isinstance(meant, str) or not meant.strip():
                error(line, f"„{written}“ braucht rechts einen Text (in Anführungszeichen, wenn er „:“ enthält)")
                continue
            key = written.strip().casefold()
            if key in rewrites:
                error(line, f"„{written}“ steht zweimal im Lexikon: nur einmal lassen")
                continue
            if key == meant.strip().casefold():
                reader.warn(line, f"„{written}“ wird durch sich selbst ersetzt: Zeile löschen")
            rewrites[key] = meant.strip()
    return lexicon
