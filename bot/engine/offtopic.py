"""Does a message name a subject the knowledge base lists as not its own (off_topic.yaml)?

Words are compared whole, in any case and with or without umlauts ("vorstellungsgesprach"), but not
stemmed: "Stellen" (jobs) and "stellen" (einen Antrag stellen) share a stem.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.engine.normalize import words
from bot.engine.spelling import fold_umlauts


def _folded(text: str) -> tuple[str, ...]:
    return tuple(fold_umlauts(word) for word in words(text))


class OffTopic:
    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = [(phrase, folded) for phrase in phrases if (folded := _folded(phrase))]

    def mentioned(self, text: str) -> str | None:
        """The first listed word or phrase the text contains, word for word; None if none."""
        written = _folded(text)
        for phrase, folded in self._phrases:
            size = len(folded)
            if any(written[i : i + size] == folded for i in range(len(written) - size + 1)):
                return phrase
        return None
