"""Per-chat flood control: one chat must not use up the bot's global Telegram rate."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    PASS = "pass"
    WARN = "warn"
    """Just went over the limit: tell the chat once."""
    DROP = "drop"


class FloodGuard:
    """At most `limit` messages per `window` seconds per chat; then quiet for one window."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._recent: dict[int, deque[float]] = {}
        self._quiet_until: dict[int, float] = {}

    def check(self, chat_id: int) -> Verdict:
        if self.limit <= 0:
            return Verdict.PASS
        now = self._clock()
        if self._quiet_until.get(chat_id, 0.0) > now:
            return Verdict.DROP
        recent = self._recent.setdefault(chat_id, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        recent.append(now)
        if len(recent) > self.limit:
            self._quiet_until[chat_id] = now + self.window
            recent.clear()
            return Verdict.WARN
        self._forget_idle(now)
        return Verdict.PASS

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded: drop chats that have been silent for a whole window."""
        if len(self._recent) < 10_000:
            return
        for chat_id in [c for c, r in self._recent.items() if not r or r[-1] <= now - self.window]:
            del self._recent[chat_id]
        for chat_id in [c for c, until in self._quiet_until.items() if until <= now]:
            del self._quiet_until[chat_id]
