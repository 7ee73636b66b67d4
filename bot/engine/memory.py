"""What a chat asked last, kept in memory for a while, so "Und Vereine?" can be understood.

Nothing of it is stored on disk: it lives as long as the process, per chat, for
`Thresholds.follow_up_minutes`, and /start and /vergessen clear it. A chat never sees
another chat's context.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime, timedelta

from bot.engine.answer import Reply

CHATS_KEPT = 10_000
"""The oldest contexts go first beyond this many chats: memory stays bounded."""


class ConversationMemory:
    def __init__(self, lifetime: timedelta, chats_kept: int = CHATS_KEPT) -> None:
        self.lifetime = lifetime
        self.chats_kept = chats_kept
        self._last: OrderedDict[Hashable, tuple[Reply, datetime]] = OrderedDict()

    def previous(self, chat: Hashable, now: datetime) -> Reply | None:
        """The chat's last answered reply, if it is recent enough."""
        kept = self._last.get(chat)
        if kept is None:
            return None
        reply, at = kept
        if now - at > self.lifetime:
            del self._last[chat]
            return None
        return reply

    def remember(self, chat: Hashable, reply: Reply, now: datetime) -> None:
        """Keep a reply that answered something; a fallback or a question back keeps the older one."""
        if reply.entry is None:
            return
        self._last[chat] = (reply, now)
        self._last.move_to_end(chat)
        while len(self._last) > self.chats_kept:
            self._last.popitem(last=False)

    def forget(self, chat: Hashable) -> None:
        self._last.pop(chat, None)
