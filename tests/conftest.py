from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.config import SHIPPED_KNOWLEDGE
from bot.engine import Engine
from bot.knowledge import load_knowledge


@pytest.fixture(scope="session")
def before() -> datetime:
    """The moment the dev set is judged at: four weeks before the deadline."""
    return datetime.fromisoformat("2017-01-20T10:00:00+01:00")


@pytest.fixture(scope="session")
def kb():
    return load_knowledge(SHIPPED_KNOWLEDGE)


@pytest.fixture(scope="session")
def engine(kb):
    return Engine(kb)


@pytest.fixture
def knowledge_copy(tmp_path) -> Path:
    """A writable copy of the shipped knowledge folder, for tests that break it."""
    target = tmp_path / "knowledge"
    shutil.copytree(SHIPPED_KNOWLEDGE, target)
    return target


@pytest.fixture
async def telegram(request, tmp_path, engine, before, knowledge_copy):
    """The real Application, polling a stand-in Bot API server on 127.0.0.1 through PTB's HTTP stack.

    It reloads from `knowledge_copy` (edit it, then /neuladen); its clock starts at `before`, or at
    the moment a test names with @pytest.mark.now("…"); @pytest.mark.settings(…) changes settings.
    """
    from fake_telegram import FakeBotApi, running

    from bot.clock import Clock
    from bot.config import Settings
    from bot.telegram.app import build_application

    api = FakeBotApi()
    await api.start()
    settings = Settings(
        token=api.token,
        api_base_url=api.base_url,
        data_dir=tmp_path / "data",
        knowledge=knowledge_copy,
        admin_ids=frozenset({7}),
        send_rate=0,
        flood_messages=20,
        flood_window=60,
    )
    changed = request.node.get_closest_marker("settings")
    if changed:
        settings = replace(settings, **changed.kwargs)
    moment = request.node.get_closest_marker("now")
    start = datetime.fromisoformat(moment.args[0]) if moment else before
    application = build_application(settings, engine, Clock(start))
    api.application = application
    api.data_dir = settings.data_dir
    try:
        async with running(application, api):
            yield api
    finally:
        await api.stop()
