"""Start and stop a PTB Application the way `run_polling` and `run_webhook` do, for our own server.

PTB runs the post_init, post_stop and post_shutdown hooks only inside run_polling/run_webhook
(its private `Application.__run`); its public custom-webhook pattern (`async with application`,
then start and stop) skips them. Webhook mode serves updates with a server of its own
(bot/telegram/webhook.py), so it needs PTB's order without PTB's runner. This is the one place
that knows that order; tests/test_lifecycle.py compares it with run_polling of the pinned PTB, so
an upgrade that changes the order or adds a hook fails there, not in production.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from telegram.ext import Application


@asynccontextmanager
async def started(
    application: Application, start_updater: Callable[[], Awaitable[object]] | None = None
) -> AsyncIterator[Application]:
    """The application initialized, its post_init run, (the updater started,) and started;
    afterwards stopped and shut down with its hooks, in PTB's order, also after an error."""
    try:
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        if start_updater:
            await start_updater()
        await application.start()
        yield application
    finally:
        if application.updater and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
