"""Checks that need the engine: does each phrasing still reach its own entry?

This is how staff learn that a new entry steals questions from an old one.
"""

from __future__ import annotations

import contextlib
import re
from datetime import datetime

from bot.engine.answer import Engine, Outcome
from bot.knowledge import KnowledgeBase, Location, Problem, Severity
from bot.knowledge.lexicon import LEXICON_FILE
from bot.knowledge.loader import SYNONYMS_FILE
from bot.knowledge.offtopic import OFF_TOPIC_FILE
from bot.knowledge.yamlsource import LocatedList, YamlProblem, load_yaml


def collisions(engine: Engine, now: datetime) -> list[Problem]:
    """Warnings for synonym clashes, for phrasings answered by another entry and for phrasings
    holding a word that marks a message as off topic."""
    problems = [_synonym_clash(engine.kb, *conflict) for conflict in engine.matcher.normalizer.conflicts]
    for entry in engine.kb.entries:
        for question in entry.questions:
            reply = engine.reply(question.text, now)
            if elsewhere := engine.off_topic.mentioned(question.text):
                message = f"„{question.text}“ enthält „{elsewhere}“ aus {OFF_TOPIC_FILE} und wird nie beantwortet"
            elif reply.outcome is Outcome.ANSWER and reply.entry is not entry:
                message = f"„{question.text}“ wird mit „{reply.entry.id}“ beantwortet, nicht mit „{entry.id}“"
            elif reply.outcome is Outcome.CLARIFY:
                others = ", ".join(o.id for o in reply.options if o is not entry) or "–"
                message = f"„{question.text}“ ist mehrdeutig, der Bot fragt nach (auch {others})"
            elif reply.outcome is Outcome.FALLBACK:
                message = f"„{question.text}“ erkennt der Bot nicht"
            else:
                continue
            hint = _lexicon_hint(engine, question.text)
            problems.append(Problem(Severity.WARNING, question.location, f"{message}: Formulierungen schärfen{hint}"))
    return problems


def _synonym_clash(kb: KnowledgeBase, variant: str, first: int, second: int) -> Problem:
    """At the line of the later group, naming both by their first word (not by stems: "partn")."""
    path = kb.root / SYNONYMS_FILE
    line = None
    with contextlib.suppress(OSError, YamlProblem):
        listed = load_yaml(path)
        if isinstance(listed, LocatedList):
            line = listed.line_of(second)
    names = f"„{kb.synonyms[first][0]} …“ und „{kb.synonyms[second][0]} …“"
    return Problem(
        Severity.WARNING,
        Location(path, line),
        f"„{variant}“ steht in zwei Synonymgruppen ({names}): nur in einer lassen",
    )


def _lexicon_hint(engine: Engine, phrasing: str) -> str:
    """Where the lexicon rewrites a phrasing's own words, the cause may be there, not in the entry:
    "frist: Kohle" in lexicon.yaml made every deadline phrasing a question about money."""
    folded = phrasing.casefold()
    rewritten = [
        f"„{written}“ → „{meant}“"
        for written, meant in engine.kb.lexicon.get("umgangssprache", {}).items()
        if re.search(rf"(?<!\w){re.escape(written)}(?!\w)", folded)
    ]
    return f" – oder {LEXICON_FILE} prüfen, es liest darin {', '.join(rewritten)}" if rewritten else ""
