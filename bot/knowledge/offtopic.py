"""The staff-editable list of words that give away a message about something else (off_topic.yaml).

"Ich bewerbe mich auf eine ausgeschriebene Stelle bei der Stadt – bis wann läuft die
Bewerbungsfrist?" uses the call's words throughout; only "ausgeschriebene Stelle" says it is about
a job. The engine does not answer a message holding one of the listed words or phrases from the
entries; `kb check` validates the file like the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.problems import Problem
from bot.knowledge.reader import read_optional
from bot.knowledge.yamlsource import LocatedList

OFF_TOPIC_FILE = "off_topic.yaml"
_LETTER = re.compile(r"[^\W\d_]")


def read_off_topic(root: Path, problems: list[Problem]) -> tuple[str, ...]:
    """The listed words and phrases, in file order; an absent or empty file lists none."""
    reader, data = read_optional(root / OFF_TOPIC_FILE, problems)
    if data is None:
        return ()
    if not isinstance(data, LocatedList):
        reader.error(1, "off_topic.yaml muss eine Liste sein: - Stellenangebot")
        return ()
    phrases: dict[str, int] = {}
    for index, item in enumerate(data):
        line = data.line_of(index)
        if not isinstance(item, str) or not _LETTER.search(item):
            shown = "leere Zeile mit „- “" if item is None else f"„{item}“ ist kein Wort"
            reader.error(line, f"{shown}: jede Zeile nennt ein Wort oder eine Wendung")
            continue
        key = " ".join(item.split()).casefold()
        if key in phrases:
            reader.warn(line, f"„{item.strip()}“ steht schon in Zeile {phrases[key]}: nur einmal lassen")
            continue
        phrases[key] = line
    return tuple(phrases)
