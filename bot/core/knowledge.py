"""The knowledge the bot answers from right now, and the time it answers at."""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from bot.engine import Engine
from bot.knowledge import KnowledgeBase


class Knowledge:
    """The current engine (replaced only by a successful reload) and the clock."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self.clock = clock

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def kb(self) -> KnowledgeBase:
        return self._engine.kb

    def now(self) -> datetime:
        return self.clock.now()

    def call_open(self) -> bool:
        return self.now() <= self.kb.call.closes

    def replace(self, engine: Engine) -> None:
        """From now on, answer from this engine (bot.core.operations.Reload)."""
        self._engine = engine
