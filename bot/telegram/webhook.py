"""Webhook mode: Telegram posts updates to us (behind a reverse proxy), with a secret token.

A small aiohttp server instead of PTB's built-in one, because it must also serve /healthz and
answer retried deliveries of the same update_id only once (PTB's custom-webhook pattern).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from collections import deque
from contextlib import asynccontextmanager

from aiohttp import web
from telegram.ext import Application

from bot.config import WebhookSettings
from bot.telegram import context
from bot.telegram.app import ALLOWED_UPDATES
from bot.telegram.health import check
from bot.telegram.lifecycle import started

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REMEMBERED_UPDATES = 10_000
HEADER_TIMEOUT = 10.0
"""Seconds a connection may take to send its headers (and stay idle between requests)."""
BODY_TIMEOUT = 10.0
"""Seconds a request with the right secret may take to send its body."""
MAX_CONNECTIONS = 200
"""Open connections at once; more are closed at once, so half-open ones cannot use up the file
descriptors that /healthz and Telegram's deliveries (at most 100 connections) need."""


class _TurnedAway(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()


async def _capped_listener(runner: web.AppRunner, host: str, port: int) -> asyncio.Server:
    """The runner's server behind a cap on open connections (aiohttp has none of its own).

    Instead of an aiohttp site: a plain asyncio server with aiohttp's low-level Server as its
    protocol factory, as aiohttp documents it, so nothing reaches into a site's private fields.
    """
    server = runner.server

    def accept() -> asyncio.Protocol:
        return server() if len(server.connections) < MAX_CONNECTIONS else _TurnedAway()

    return await asyncio.get_running_loop().create_server(accept, host, port, reuse_address=True)


def _strict_number(text: str) -> float:
    raise ValueError(f"not a JSON number: {text}")


class WebhookServer:
    def __init__(self, application: Application, config: WebhookSettings) -> None:
        self.application = application
        self.config = config
        self._seen: set[int] = set()
        self._order: deque[int] = deque()
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
        self.port = config.port

    async def start(self) -> None:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post(self.config.path, self._receive)
        app.router.add_get("/healthz", self._health)
        # keepalive_timeout also closes a connection whose headers never complete
        self._runner = web.AppRunner(app, access_log=None, keepalive_timeout=HEADER_TIMEOUT)
        await self._runner.setup()
        self._listener = await _capped_listener(self._runner, self.config.listen, self.config.port)
        self.port = self._listener.sockets[0].getsockname()[1]
        log.info("webhook listening on %s:%d%s", self.config.listen, self.port, self.config.path)

    async def stop(self) -> None:
        if self._listener:  # no new connections; the runner then finishes the open ones
            self._listener.close()
        if self._runner:
            await self._runner.cleanup()
        if self._listener:
            await self._listener.wait_closed()

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self.config.secret.encode()):
            log.warning("webhook: request without the right secret token rejected")
            return web.Response(status=403)
        try:
            body = await asyncio.wait_for(request.read(), BODY_TIMEOUT)
        except TimeoutError:
            return web.Response(status=408, headers={"Connection": "close"})
        try:
            data = json.loads(body, parse_constant=_strict_number)
            update_id = data["update_id"]
        except (ValueError, KeyError, TypeError, RecursionError):
            return web.Response(status=400)
        if type(update_id) is not int:  # not a bool, not a float (1e400 is inf)
            return web.Response(status=400)
        if update_id in self._seen:  # Telegram retries deliveries it thinks failed
            return web.Response(status=200)
        self._remember(update_id)
        # kept before the 200 tells Telegram it may forget the update; seen before a restart: done
        if update_id in await context.inbox(self.application.bot_data).receive([data]):
            return web.Response(status=200)
        # an update PTB cannot read is skipped with 200: a 500 would only make Telegram retry it
        await self.application.update_queue.put(self.application.bot.read_update(data))
        return web.Response(status=200)

    def _remember(self, update_id: int) -> None:
        self._seen.add(update_id)
        self._order.append(update_id)
        if len(self._order) > REMEMBERED_UPDATES:
            self._seen.discard(self._order.popleft())

    async def _health(self, request: web.Request) -> web.Response:
        healthy, why = check(context.settings(self.application.bot_data).data_dir)
        return web.json_response({"healthy": healthy, "detail": why}, status=200 if healthy else 503)


@asynccontextmanager
async def serving(application: Application, config: WebhookSettings):
    """The application started as run_webhook would, with our server in front of it."""

    async def set_webhook() -> None:  # where run_webhook starts its updater
        await application.bot.set_webhook(config.url, secret_token=config.secret, allowed_updates=ALLOWED_UPDATES)

    async with started(application, set_webhook):
        server = WebhookServer(application, config)
        await server.start()
        try:
            yield server
        finally:
            await server.stop()


def run_webhook(application: Application, config: WebhookSettings) -> None:
    """Serve until SIGINT or SIGTERM, then finish what is running and stop."""

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with serving(application, config):
            await stop.wait()

    asyncio.run(serve())
