"""bot/telegram/lifecycle.py starts and stops an Application in the order run_polling does.

This is the guard for the one piece of PTB behaviour that has no public API (the order of
run_polling's private runner and its hooks): a PTB upgrade that changes it fails here.
"""

from __future__ import annotations

import asyncio

from fake_telegram import FakeBotApi, server_process
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.telegram.lifecycle import started

HOOKS = ["post_init", "post_shutdown", "post_stop"]


class RecordingApplication(Application):
    """PTB's Application, noting each step of its life in `steps`."""

    steps: list[str]

    async def initialize(self) -> None:
        self.steps.append("initialize")
        await super().initialize()

    async def start(self) -> None:
        self.steps.append("start")
        await super().start()

    async def stop(self) -> None:
        self.steps.append("stop")
        await super().stop()

    async def shutdown(self) -> None:
        self.steps.append("shutdown")
        await super().shutdown()


def recording_application(base_url: str, token: str) -> RecordingApplication:
    async def note(name: str, application: Application) -> None:
        application.steps.append(name)

    builder = ApplicationBuilder().application_class(RecordingApplication).token(token)
    builder = builder.base_url(f"{base_url}/bot").base_file_url(f"{base_url}/file/bot")
    for hook in HOOKS:
        builder = getattr(builder, hook)(lambda application, hook=hook: note(hook, application))
    application = builder.build()
    application.steps = []
    return application


def test_ptb_has_no_hooks_but_the_ones_lifecycle_runs():
    assert sorted(name for name in dir(ApplicationBuilder) if name.startswith("post_")) == HOOKS


def test_started_runs_the_steps_and_hooks_in_run_pollings_order():
    async def stop_once_running(context: ContextTypes.DEFAULT_TYPE) -> None:
        context.application.stop_running()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        with server_process() as (base_url, token):
            polled = recording_application(base_url, token)
            polled.job_queue.run_once(stop_once_running, when=0)  # the job queue runs once started
            polled.run_polling(stop_signals=None, close_loop=False)
    finally:
        asyncio.set_event_loop(None)
        loop.close()

    async def ours() -> list[str]:
        api = FakeBotApi()
        await api.start()
        try:
            application = recording_application(api.base_url, api.token)
            async with started(application):
                assert application.running
            return application.steps
        finally:
            await api.stop()

    expected = ["initialize", "post_init", "start", "stop", "post_stop", "shutdown", "post_shutdown"]
    assert polled.steps == expected
    assert asyncio.run(ours()) == expected
