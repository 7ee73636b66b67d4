"""Checks that need the engine: does each phrasing still reach its own entry?

This is how staff learn that a new entry steals questions from an old one.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from bot.engine.answer import Engine, Outcome
from bot.knowledge import KnowledgeBase, Location, Problem, Severity
from bot.knowledge.lexicon import LEXICON_FILE
from bot.knowledge.loader import SYNONYMS_FILE
from bot.knowledge.offtopic import OFF_TOPIC_FILE
from bot.knowledge.yamlsource import LocatedList, YamlProblem, load_yaml


def collisions(engine: Engine, now: datetime) -> list[Problem]:
    """Warnings for synonym clashes, for phrasings answered by another entry and for phrasings
    holding a word that marks a message as off topic."""
    conflicts = engine.matcher.normalizer.conflicts
    lines = _group_lines(engine.kb.root / SYNONYMS_FILE) if conflicts else None
    problems = [_synonym_clash(engine.kb, lines, *conflict) for conflict in conflicts]
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


def _group_lines(path: Path) -> LocatedList | None:
    """synonyms.yaml read again for its lines: the knowledge base keeps only the groups."""
    with contextlib.suppress(OSError, YamlProblem):
        listed = load_yaml(path)
        return listed if isinstance(listed, LocatedList) else None
    return None


def _synonym_clash(kb: KnowledgeBase, lines: LocatedList | None, variant: str, first: int, second: int) -> Problem:
    """At the line of the later group, naming both by their first word (not by stems: "partn")."""
    names = f"„{kb.synonyms[first][0]} …“ und „{kb.synonyms[second][0]} …“"
    return Problem(
        Severity.WARNING,
        Location(kb.root / SYNONYMS_FILE, lines.line_of(second) if lines is not None else None),
        f"„{variant}“ steht in zwei Synonymgruppen ({names}): nur in einer lassen",
    )


def _lexicon_hint(engine: Engine, phrasing: str) -> str:
    """Where the lexicon rewrites a phrasing's own words, the cause may be there, not in the entry:
    "frist: Kohle" in lexicon.yaml made every deadline phrasing a question about money."""
    rewritten = [f"„{written}“ → „{meant}“" for written, meant in engine.rewriter.rewritten(phrasing, english=False)]
    return f" – oder {LEXICON_FILE} prüfen, es liest darin {', '.join(rewritten)}" if rewritten else ""
