"""PTB's bot, made to survive updates it cannot read and a token Telegram rejects for a moment.

python-telegram-bot parses a whole getUpdates batch at once: one update it cannot read (say a poll
from an older self-hosted Bot API server without fields PTB now requires) fails the batch, the
offset never moves on, and every later update from anyone is stuck behind it while PTB logs the
raw batch – names, usernames, texts – at CRITICAL, hundreds of times a second. Here such an
update is replaced by an empty one with the same update_id (so the offset moves on and no handler
matches it), logged once without its content, and counted for `foerderbot health`.

Every fetched batch is also kept in the durable inbox (bot.store.inbox) before the next getUpdates
confirms it; an update the inbox has seen before becomes such an empty one as well.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.store.inbox import Inbox

log = logging.getLogger(__name__)
_PTB_LOG = logging.getLogger("telegram.ext.ExtBot")


class _NoRawUpdates(logging.Filter):
    """PTB's own report of an unreadable batch quotes all of it; ours names the update_id only."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error while parsing updates")


_PTB_LOG.addFilter(_NoRawUpdates())


class _KeptUpdates(BaseRequest):
    """The getUpdates request object, handing each fetched batch to `keep` before PTB reads it.

    A wrapper over PTB's public request interface (`post` returns the call's result), so the bot
    need not override a private method of PTB's Bot to see the raw batch.
    """

    def __init__(self, request: BaseRequest, keep: Callable[[list[dict[str, Any]]], Awaitable[Any]]) -> None:
        self._request = request
        self._keep = keep

    @property
    def read_timeout(self) -> float | None:
        return self._request.read_timeout

    async def initialize(self) -> None:
        await self._request.initialize()

    async def shutdown(self) -> None:
        await self._request.shutdown()

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return await self._request.do_request(*args, **kwargs)

    async def post(self, *args: Any, **kwargs: Any) -> Any:
        return await self._keep(await super().post(*args, **kwargs))


class TolerantBot(ExtBot):
    def __init__(self, *args: Any, get_updates_request: BaseRequest | None = None, **kwargs: Any) -> None:
        polling = get_updates_request or HTTPXRequest(connection_pool_size=1)
        super().__init__(*args, get_updates_request=_KeptUpdates(polling, self._kept), **kwargs)
        self._unreadable = 0  # PTB's objects are frozen after __init__ except for "_" attributes
        self._polled_at: datetime | None = None
        self._inbox: Inbox | None = None
        self._fetched: list[dict[str, Any]] = []

    def keep_in(self, inbox: Inbox) -> None:
        """From now on every fetched update is kept in the inbox before getUpdates confirms it."""
        self._inbox = inbox

    @property
    def unreadable(self) -> int:
        """Updates skipped since start because they could not be read."""
        return self._unreadable

    @property
    def polled_at(self) -> datetime | None:
        """When getUpdates last succeeded (first set when polling starts); None in webhook mode."""
        return self._polled_at

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: Any = None,
        allowed_updates: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> tuple[Update, ...]:
        if self._polled_at is None:
            self._polled_at = datetime.now(UTC)
        try:
            updates = await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
        except InvalidToken as exc:
            # The token worked at start (getMe): a 401 now is Telegram having a moment, not the end.
            # As a NetworkError it is retried with PTB's growing pause instead of ending polling.
            raise NetworkError("getUpdates: Telegram rejected the token; trying again") from exc
        except TelegramError:
            raise
        except Exception:
            updates = self._read_one_by_one()
        self._polled_at = datetime.now(UTC)
        return updates

    async def _kept(self, result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """A fetched batch, kept in the inbox before the next getUpdates confirms it; an update
        the inbox has seen before becomes an empty one (not handled again)."""
        if result and self._inbox is not None:
            known = await self._inbox.receive(result)
            if known:
                result = [{"update_id": item["update_id"]} if item["update_id"] in known else item for item in result]
        self._fetched = result
        return result

    def _read_one_by_one(self) -> tuple[Update, ...]:
        """The batch PTB could not read (getUpdates is never called twice at once), each update on its own."""
        return tuple(self.read_update(item) for item in self._fetched if isinstance(item.get("update_id"), int))

    def read_update(self, data: dict[str, Any]) -> Update:
        """The update, or an empty stand-in with its update_id if PTB cannot read it."""
        try:
            return Update.de_json(data, self)
        except Exception as exc:  # whatever PTB's parsing raises: one sender must not stop everyone
            self._unreadable += 1
            kinds = ", ".join(key for key in data if key != "update_id") or "-"
            log.warning(
                "update %s (%s) skipped: python-telegram-bot cannot read it (%s); its sender gets no answer",
                data.get("update_id"),
                kinds,
                type(exc).__name__,
            )
            return Update(update_id=data["update_id"])
