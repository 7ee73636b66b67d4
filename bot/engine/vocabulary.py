"""Which words of the unanswered questions the knowledge base does not know – for staff, who teach
them in lexicon.yaml or synonyms.yaml (README: "Wie Menschen schreiben")."""

from __future__ import annotations

from bot.engine.matcher import Matcher
from bot.engine.rewrite import Rewriter, is_english
from bot.knowledge import KnowledgeBase


class UnknownWords:
    """Word overlap only, no sentence model: a report loads in a quarter of a second."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._rewriter = Rewriter(kb.lexicon)
        self._matcher = Matcher(kb)

    def __call__(self, message: str) -> list[str]:
        """The message's unknown words, after the lexicon; none for an English message, whose
        every word is unknown to German entries (the lexicon's English words are read, though)."""
        if is_english(message):
            return []
        return self._matcher.unknown_words(self._rewriter.rewrite(message, english=False))
