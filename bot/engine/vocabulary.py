"""Which words of the unanswered questions the knowledge base does not know – for staff, who teach
them in lexicon.yaml or synonyms.yaml (README: "Wie Menschen schreiben")."""

from __future__ import annotations

import re

from bot.engine import segment
from bot.engine.matcher import Matcher
from bot.engine.normalize import written_words
from bot.engine.rewrite import Rewriter, is_english
from bot.knowledge import KnowledgeBase
from bot.personal import without_personal

_PLACEHOLDER = re.compile(r"\[[^\[\]\s]{1,40}\]")
"""What redaction left in the log ("[IBAN]", "[Steuer-ID]"): not the asker's words."""
SHORTEST = 3
"""Shorter pieces are abbreviations' letters ("z. B.") or parts of a hyphenated word ("E-Mail")."""


class UnknownWords:
    """Word overlap only, no sentence model: a report loads in a third of a second."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._rewriter = Rewriter(kb.lexicon)
        self._matcher = Matcher(kb)

    def __call__(self, message: str) -> list[str]:
        """The words as the asker wrote them whose meaning, read as the engine reads the whole
        message (lexicon, phrases such as "Umbau 21", typo correction), no entry uses – a lexicon
        word whose replacement no entry uses is listed as written ("abnicken", not its replacement).
        None for an English message: every word of it is unknown to German entries."""
        if is_english(message):
            return []
        # "Ich heiße [Name]", "LG Sabine", "Sehr geehrte Damen und Herren": no words for the lexicon
        message = _PLACEHOLDER.sub(" ", without_personal(message))
        message = " ".join(p.text for p in segment.split(message) if p.kind is not segment.Kind.GREETING)
        unknown = self._matcher.unknown_terms(self._rewriter.rewrite(message, english=False))
        if not unknown:
            return []
        return [
            word
            for word in dict.fromkeys(written_words(message))
            if len(word) >= SHORTEST
            and not any(c.isdigit() for c in word)
            and self._matcher.unknown_terms(self._rewriter.rewrite(word, english=False)) & unknown
        ]
