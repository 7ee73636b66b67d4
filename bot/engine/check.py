"""One step of the eligibility check for a moment: a question with its answers, or a result.

Phase-aware like answers: after the call closed, every step first says so. A result always
ends with what decides bindingly – the official documents – so the check never promises.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.engine.render import closed_sentence, deadline_sentence, render
from bot.engine.wording import CALL_CLOSED
from bot.knowledge import Entry, KnowledgeBase
from bot.knowledge.checktree import CheckQuestion, CheckResult

BINDING = (
    "Verbindlich entscheiden allein die offiziellen Unterlagen unter {documents} – "
    "dieser Check ist eine erste Orientierung, keine Zusage."
)
BASIS = "Worauf das beruht:"


@dataclass(frozen=True)
class CheckStep:
    path: tuple[int, ...]
    node: CheckQuestion | CheckResult
    notice: str | None
    """ "Der Aufruf ist geschlossen …" once the last deadline has passed, shown before anything else."""
    body: str
    """The question, or the result rendered for the moment."""
    closing: tuple[str, ...] = ()
    """A result's last paragraphs: the deadline while the call is open, then the binding hint."""
    entries: tuple[Entry, ...] = ()

    @property
    def result(self) -> CheckResult | None:
        return self.node if isinstance(self.node, CheckResult) else None

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(o.label for o in self.node.options) if isinstance(self.node, CheckQuestion) else ()

    @property
    def text(self) -> str:
        """The step as plain text (terminal); Telegram builds HTML from the same parts."""
        parts = [p for p in (self.notice, self.body) if p]
        if self.entries:
            lines = [f"• {e.canonical}" + (f" – Quelle: {e.source}" if e.source else "") for e in self.entries]
            parts.append("\n".join([BASIS, *lines]))
        parts.extend(self.closing)
        return "\n\n".join(parts)


def check_step(kb: KnowledgeBase, path: tuple[int, ...], now: datetime) -> CheckStep:
    """The step a path leads to; raises PathError for a path the tree does not have."""
    tree, call = kb.check, kb.call
    node = tree.walk(path)
    sentence = closed_sentence(call, now)
    closed = sentence is not None
    notice = CALL_CLOSED.format(sentence=sentence) if closed else None
    if isinstance(node, CheckQuestion):
        return CheckStep(path, node, notice, node.text)
    template = node.text_closed if closed and node.text_closed else node.text
    closing = () if closed else (deadline_sentence(call.main_deadline, now),)
    closing += (BINDING.format(documents=call.documents_url),)
    entries = tuple(kb.by_id[e] for e in node.entries)
    return CheckStep(path, node, notice, render(template, call, now), closing, entries)
