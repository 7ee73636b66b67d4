"""What the handlers share: the current engine (swapped on reload), the clock and the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from telegram.ext import ContextTypes

from bot.clock import Clock
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge import KnowledgeBase, Severity, read_knowledge
from bot.telegram.flood import FloodGuard

log = logging.getLogger(__name__)


@dataclass
class BotState:
    engine: Engine
    clock: Clock
    settings: Settings
    flood: FloodGuard = field(init=False)

    def __post_init__(self) -> None:
        self.flood = FloodGuard(self.settings.flood_messages, self.settings.flood_window)

    @property
    def kb(self) -> KnowledgeBase:
        return self.engine.kb

    @property
    def topics(self) -> set[str]:
        return {entry.topic for entry in self.kb.entries}

    def reload(self) -> list[str]:
        """Load the knowledge folder again; on errors keep the running version and return them."""
        kb, problems = read_knowledge(self.settings.knowledge)
        errors = [str(p) for p in problems if p.severity is Severity.ERROR]
        if kb is None:
            log.error("knowledge reload failed, keeping version %s: %s", self.kb.version, "; ".join(errors))
            return errors
        self.engine = Engine(kb)
        log.info("knowledge reloaded: version %s, %d entries", kb.version, len(kb.entries))
        return []


def state_of(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data["state"]
