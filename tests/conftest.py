from __future__ import annotations

import shutil
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
